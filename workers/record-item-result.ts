import type { ItemFlow } from '../src/services/loop/item-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `record-item-result` (supervision-item): The lead unit's 办理结果; on time or not; the office's review deadline. */
export default contractWorker<Parameters<ItemFlow['result']>[0], Record<string, unknown>>('record-item-result', async (v, { services, job }) => complete(await services.itemFlow.result(v, job.key)));
