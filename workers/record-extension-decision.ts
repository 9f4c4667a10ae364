import type { ItemFlow } from '../src/services/loop/item-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `record-extension-decision` (supervision-item): Office and leader decisions on an extension; both approve → the deadline moves. */
export default contractWorker<Parameters<ItemFlow['extension']>[0], Record<string, unknown>>('record-extension-decision', async (v, { services }) => complete(await services.itemFlow.extension(v)));
