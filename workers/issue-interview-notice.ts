import type { ItemFlow } from '../src/services/loop/item-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `issue-interview-notice` (supervision-item): the numbered 约谈通知书 with the office's arrangement (第十五条); once per item. */
export default contractWorker<Parameters<ItemFlow['interviewNotice']>[0], Record<string, unknown>>('issue-interview-notice', async (v, { services, job }) =>
  complete(await services.itemFlow.interviewNotice(v, job.key)),
);
