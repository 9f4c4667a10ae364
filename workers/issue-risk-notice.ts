import type { LoopSettings } from '../src/engine/contract.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `issue-risk-notice` (risk-notice): the numbered 风险提示函 to the department, cc 政法委 and 平安办; once per round × department. */
export default contractWorker<
  { now: string; settings: LoopSettings; roundId: string; departmentId: string; indicatorIds: string[]; noticeKey: string; opinionDueDate: string },
  Record<string, unknown>
>('issue-risk-notice', async (v, { services, job }) => complete(await services.noticeFlow.issue(v, job.processInstanceKey, job.key)), { timeoutMs: 120_000 });
