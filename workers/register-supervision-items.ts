import { complete, contractWorker } from './runtime/define-worker.ts';

/** `register-supervision-items`: 一事一件 — one item per accepted measure (risk-notice) or per decision (joint-meeting), keyed by it. */
export default contractWorker<{ sourceKind: 'notice' | 'meeting'; sourceId: string }, Record<string, unknown>>('register-supervision-items', async (v, { services }) =>
  complete({
    supervisionItems: v.sourceKind === 'notice' ? await services.noticeFlow.registerMeasures(v.sourceId) : await services.meetingFlow.registerDecisions(v.sourceId),
  }),
);
