import { createWorkCalendar, workingDayDeadline } from '../src/domain/loop/working-days.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

const calendar = createWorkCalendar();

/**
 * `compute-deadline` (every diagram; inputs mapped from `settings.*`): a deadline N working days
 * after the engine's `now`, with Chinese holidays and make-up workdays, plus the reminder before
 * it and the 催办 after it. Pure: no effect, so redelivery is harmless.
 */
export default contractWorker<{ now: string; workingDays: number; reminderLeadWorkingDays?: number; urgeAfterWorkingDays?: number }, Record<string, unknown>>(
  'compute-deadline',
  async (v) =>
    complete({
      ...workingDayDeadline(calendar, v.now, v.workingDays, {
        reminderLeadWorkingDays: v.reminderLeadWorkingDays,
        urgeAfterWorkingDays: v.urgeAfterWorkingDays,
      }),
    }),
);
