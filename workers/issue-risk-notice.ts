import { complete, contractWorker } from './runtime/define-worker.ts';

/** `issue-risk-notice` (risk-notice): the notice on record with its 文号, once per round × department; its document follows on a parallel path. */
export default contractWorker<
  { now: string; roundId: string; departmentId: string; indicatorIds: string[]; noticeKey: string; opinionDueDate: string },
  Record<string, unknown>
>('issue-risk-notice', async (v, { services, job }) => complete(await services.noticeFlow.issue(v, job.processInstanceKey, job.key)));
