import type { ItemFlow } from '../src/services/loop/item-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `record-progress-report` (supervision-item): A progress report that came by message (第十三条); keyed by report id. */
export default contractWorker<Parameters<ItemFlow['progress']>[0], Record<string, unknown>>('record-progress-report', async (v, { services }) => (await services.itemFlow.progress(v), complete({})));
