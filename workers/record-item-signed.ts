import type { ItemFlow } from '../src/services/loop/item-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `record-item-signed` (supervision-item): 签收 (回执) with the person in charge. */
export default contractWorker<Parameters<ItemFlow['sign']>[0], Record<string, unknown>>('record-item-signed', async (v, { services }) => complete(await services.itemFlow.sign(v)));
