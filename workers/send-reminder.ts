import type { ReminderRequest } from '../src/services/loop/reminders.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/**
 * `send-reminder` (non-interrupting timers of every diagram): 临近/到期/签收/审核 reminder mail,
 * once per subject × kind × deadline; nothing when the subject was settled meanwhile.
 */
export default contractWorker<ReminderRequest, Record<string, never>>('send-reminder', async (v, { services, job }) => {
  await services.reminders.remind(v, job.key);
  return complete({});
});
