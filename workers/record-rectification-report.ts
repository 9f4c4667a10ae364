import type { Interviews } from '../src/services/loop/interviews.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `record-rectification-report` (supervision-item, unit-interview): 整改报告 after a 约谈. */
export default contractWorker<Parameters<Interviews['rectification']>[0], Record<string, unknown>>('record-rectification-report', async (v, { services }) => (await services.interviews.rectification(v), complete({})));
