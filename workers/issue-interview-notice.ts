import type { Interviews } from '../src/services/loop/interviews.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `issue-interview-notice` (supervision-item, unit-interview): the numbered 约谈通知书 with the office's arrangement (第十五条); once per item or order. */
export default contractWorker<Parameters<Interviews['interviewNotice']>[0], Record<string, unknown>>('issue-interview-notice', async (v, { services, job }) =>
  complete(await services.interviews.interviewNotice(v, job.key)),
);
