import { complete, contractWorker } from './runtime/define-worker.ts';

/** `issue-supervision-notice` (supervision-item): 督办事项通知书 to the lead unit, cc the co-units (第十二条); once per item. */
export default contractWorker<{ itemId: string; now: string }, Record<string, unknown>>('issue-supervision-notice', async (v, { services, job }) => complete(await services.itemFlow.issueNotice(v, v.now, job.key)));
