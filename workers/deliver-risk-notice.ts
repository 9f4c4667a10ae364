import type { LoopSettings } from '../src/engine/contract.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `deliver-risk-notice` (risk-notice): the numbered 风险提示函 laid out, stored and mailed to the department, cc 政法委 and 平安办. */
export default contractWorker<
  { settings: LoopSettings; roundId: string; departmentId: string; indicatorIds: string[]; noticeKey: string; noticeId: string; noticeIssuedOn: string; opinionDueDate: string },
  Record<string, unknown>
>('deliver-risk-notice', async (v, { services, job }) => complete(await services.noticeFlow.deliver(v, job.key)), { timeoutMs: 120_000 });
