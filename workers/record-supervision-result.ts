import type { ItemFlow } from '../src/services/loop/item-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `record-supervision-result` (supervision-item): 办结: what scoring needs stays on the record. */
export default contractWorker<Parameters<ItemFlow['close']>[0], Record<string, unknown>>('record-supervision-result', async (v, { services }) => complete(await services.itemFlow.close(v)));
