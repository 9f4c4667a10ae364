import type { ItemFlow } from '../src/services/loop/item-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `record-listing-report` (supervision-item): A listed unit's 五落实 plan (issues the 限期整改指令书), 月报 or acceptance request. */
export default contractWorker<Parameters<ItemFlow['listingReport']>[0], Record<string, unknown>>('record-listing-report', async (v, { services, job }) => (await services.itemFlow.listingReport(v, job.key), complete({})));
