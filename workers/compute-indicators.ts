import type { RoundStart } from '../src/services/loop/rounds.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/**
 * `compute-indicators` (assessment-round): every enabled indicator for the round's period, county
 * and townships. No case data for the period → BPMN error `no-case-data` (the court imports, then
 * the job runs again). Same data and definitions → the same run.
 */
export default contractWorker<RoundStart, Record<string, unknown>>(
  'compute-indicators',
  async (v, { services, job }) => {
    const run = await services.rounds.computeIndicators(v, job.processInstanceKey);
    return complete({ indicatorRunId: run.runId, highRiskIndicatorCount: run.highRiskIndicatorCount, noticeDepartmentCount: run.recipients.length });
  },
  { timeoutMs: 300_000, maxJobsToActivate: 1 },
);
