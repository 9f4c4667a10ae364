import type { ScheduleKind } from '../src/domain/loop/calendar.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `publish-scheduled-start` (loop-calendar): starts the due round, meeting or bulletin once. */
export default contractWorker<{ scheduleKind: ScheduleKind; businessId: string; startVariables: Record<string, unknown> }, Record<string, never>>(
  'publish-scheduled-start',
  async (v, { services, job }) => {
    await services.calendar.start(v.scheduleKind, v.businessId, v.startVariables, job.key);
    return complete({});
  },
);
