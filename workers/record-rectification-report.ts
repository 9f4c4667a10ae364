import type { ItemFlow } from '../src/services/loop/item-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `record-rectification-report` (supervision-item): 整改报告 after a 约谈. */
export default contractWorker<Parameters<ItemFlow['rectification']>[0], Record<string, unknown>>('record-rectification-report', async (v, { services }) => (await services.itemFlow.rectification(v), complete({})));
