import type { ItemFlow } from '../src/services/loop/item-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `record-item-review` (supervision-item): The office's review of the result; a return is counted and mailed. */
export default contractWorker<Parameters<ItemFlow['review']>[0], Record<string, unknown>>('record-item-review', async (v, { services, job }) => complete(await services.itemFlow.review(v, job.key)));
