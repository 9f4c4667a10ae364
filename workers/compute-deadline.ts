import { workingDayDeadline } from '../src/domain/loop/working-days.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/**
 * `compute-deadline` (every diagram; inputs mapped from `settings.*`): a deadline N working days
 * after the engine's `now`, with Chinese holidays and make-up workdays, plus the reminder before
 * it and the 催办 after it, on the county's calendar (HOLIDAYS_FILE included). Pure: no effect, so
 * redelivery is harmless.
 */
export default contractWorker<{ now: string; workingDays: number; reminderLeadWorkingDays?: number; urgeAfterWorkingDays?: number }, Record<string, unknown>>(
  'compute-deadline',
  async (v, { services }) =>
    complete({
      ...workingDayDeadline(services.workCalendar, v.now, v.workingDays, {
        reminderLeadWorkingDays: v.reminderLeadWorkingDays,
        urgeAfterWorkingDays: v.urgeAfterWorkingDays,
      }),
    }),
);
