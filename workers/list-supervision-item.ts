import type { ItemFlow } from '../src/services/loop/item-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `list-supervision-item` (supervision-item): 挂牌督办: one listing per item with its 挂牌编号 and deadline. */
export default contractWorker<Parameters<ItemFlow['list']>[0], Record<string, unknown>>('list-supervision-item', async (v, { services }) => complete(await services.itemFlow.list(v)));
