import type { BulletinFlow } from '../src/services/loop/bulletin-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `record-bulletin-instruction` (supervision-bulletin): The leader's 批示; approved proposals become orders. */
export default contractWorker<Parameters<BulletinFlow['instruction']>[0], Record<string, unknown>>('record-bulletin-instruction', async (v, { services }) => complete(await services.bulletinFlow.instruction(v)));
