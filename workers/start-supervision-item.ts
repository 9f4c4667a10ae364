import { complete, contractWorker } from './runtime/define-worker.ts';

/** `start-supervision-item` (multi-instance): starts the item's own process once. */
export default contractWorker<{ supervisionItem: { itemKey: string; itemId: string } }, Record<string, never>>('start-supervision-item', async (v, { services }) => {
  await services.noticeFlow.startItem(v.supervisionItem);
  return complete({});
});
