import type { BulletinFlow } from '../src/services/loop/bulletin-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `order-escalation` (supervision-bulletin): One approved 约谈 / 挂牌 → its item's process, once. */
export default contractWorker<Parameters<BulletinFlow['order']>[0], Record<string, unknown>>('order-escalation', async (v, { services }) => (await services.bulletinFlow.order(v), complete({})));
