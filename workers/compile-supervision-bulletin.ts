import type { BulletinFlow } from '../src/services/loop/bulletin-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `compile-supervision-bulletin` (supervision-bulletin): The 督办事项专报 with proposals for 约谈 / 挂牌; a revision per pass. */
export default contractWorker<Parameters<BulletinFlow['compile']>[0], Record<string, unknown>>('compile-supervision-bulletin', async (v, { services, job }) => complete(await services.bulletinFlow.compile(v, job.key)));
