import type { LoopSettings } from '../src/engine/contract.ts';
import type { MeasureInput } from '../src/services/loop/notices.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `record-work-opinion` (risk-notice): the department's 工作意见 and measures, late or not, traced to the notice. */
export default contractWorker<
  { now: string; settings: LoopSettings; noticeId: string; opinionDueDate: string; analysis: string; problems?: string | null; measures: MeasureInput[] },
  Record<string, unknown>
>('record-work-opinion', async (v, { services, job }) => complete(await services.noticeFlow.recordOpinion(v, job.key)));
