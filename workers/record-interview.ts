import type { ItemFlow } from '../src/services/loop/item-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `record-interview` (supervision-item): 约谈 record with the rectification requirements (第十五条); once per item. */
export default contractWorker<Parameters<ItemFlow['interview']>[0], Record<string, unknown>>('record-interview', async (v, { services, job }) => complete(await services.itemFlow.interview(v, job.key)));
