import type { ItemFlow } from '../src/services/loop/item-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `compute-escalation-dates` (supervision-item): The ladder's dates from the real history: 签收, 临近提醒, 催办, 黄牌, 红牌. No effect. */
export default contractWorker<Parameters<ItemFlow['escalationDates']>[0], Record<string, unknown>>('compute-escalation-dates', async (v, { services }) => complete(await services.itemFlow.escalationDates(v)));
