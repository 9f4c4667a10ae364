import { complete, contractWorker } from './runtime/define-worker.ts';

/** `open-supervision-item` (supervision-item): 登记立项: the 督办编号 and the item's facts into the instance. */
export default contractWorker<{ itemId: string }, Record<string, unknown>>('open-supervision-item', async (v, { services, job }) => complete(await services.itemFlow.open(v.itemId, job.processInstanceKey)));
