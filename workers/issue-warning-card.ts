import type { ItemFlow } from '../src/services/loop/item-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `issue-warning-card` (supervision-item): 黄牌 / 红牌 when the ladder says so; once per deadline. */
export default contractWorker<Parameters<ItemFlow['warningCard']>[0], Record<string, unknown>>('issue-warning-card', async (v, { services }) => complete(await services.itemFlow.warningCard(v)));
