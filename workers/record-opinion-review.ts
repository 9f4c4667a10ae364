import { complete, contractWorker } from './runtime/define-worker.ts';

/** `record-opinion-review` (risk-notice): the office accepts or returns the opinion; a return is counted and mailed. */
export default contractWorker<{ now: string; noticeId: string; opinionId: string; reviewDecision: 'accept' | 'return'; reviewReason?: string | null }, Record<string, never>>(
  'record-opinion-review',
  async (v, { services, job }) => {
    await services.noticeFlow.recordReview(v, job.key);
    return complete({});
  },
);
