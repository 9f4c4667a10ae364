import { complete, contractWorker } from './runtime/define-worker.ts';

/** `register-supervision-items`: 一事一件 — one supervision item per accepted measure, keyed by measure. */
export default contractWorker<{ sourceKind: 'notice' | 'meeting'; sourceId: string }, Record<string, unknown>>('register-supervision-items', async (v, { services }) =>
  complete({ supervisionItems: await services.noticeFlow.registerItems(v) }),
);
