import type { ScheduleKind } from '../src/domain/loop/calendar.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `compute-next-schedule` (loop-calendar): when the next round, meeting or bulletin is due. Pure read of configuration. */
export default contractWorker<{ now: string; scheduleKind: ScheduleKind }, Record<string, unknown>>('compute-next-schedule', async (v, { services }) => {
  const next = services.calendar.next(v.scheduleKind, v.now);
  return complete({ nextAt: next?.at ?? null, businessId: next?.businessId ?? null, startVariables: next?.variables ?? null });
});
