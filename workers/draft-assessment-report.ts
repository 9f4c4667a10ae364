import { complete, contractWorker } from './runtime/define-worker.ts';

/** `draft-assessment-report` (assessment-round): a new revision of the 评估报告 on every pass. */
export default contractWorker<
  { roundId: string; indicatorRunId: string; reportRevision?: number; courtNotes?: string | null; leaderComments?: string | null; now: string },
  Record<string, unknown>
>(
  'draft-assessment-report',
  async (v, { services, job }) => {
    const revision = (v.reportRevision ?? 0) + 1;
    return complete(await services.rounds.draftReport({ ...v, revision, now: v.now }, job.key));
  },
  { timeoutMs: 300_000, maxJobsToActivate: 1 },
);
