import type { BulletinFlow } from '../src/services/loop/bulletin-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `send-supervision-bulletin` (supervision-bulletin): Sends the 专报 to the leaders; once per bulletin. */
export default contractWorker<Parameters<BulletinFlow['send']>[0], Record<string, unknown>>('send-supervision-bulletin', async (v, { services }) => complete(await services.bulletinFlow.send(v)));
