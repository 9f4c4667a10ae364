import type { ItemFlow } from '../src/services/loop/item-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `delist-supervision-item` (supervision-item): 验收合格 → 摘牌销号. */
export default contractWorker<Parameters<ItemFlow['delist']>[0], Record<string, unknown>>('delist-supervision-item', async (v, { services }) => complete(await services.itemFlow.delist(v)));
