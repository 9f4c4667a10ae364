import type { Interviews } from '../src/services/loop/interviews.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `record-interview` (supervision-item, unit-interview): 约谈 record with the rectification requirements (第十五条); once per item or order. */
export default contractWorker<Parameters<Interviews['interview']>[0], Record<string, unknown>>('record-interview', async (v, { services, job }) => complete(await services.interviews.interview(v, job.key)));
