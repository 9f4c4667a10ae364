import computeDeadline from './compute-deadline.ts';
import computeNextSchedule from './compute-next-schedule.ts';
import loadLoopSettings from './load-loop-settings.ts';
import publishScheduledStart from './publish-scheduled-start.ts';
import sendReminder from './send-reminder.ts';
import sendUrgeNotice from './send-urge-notice.ts';
import type { RegisteredWorker } from './runtime/define-worker.ts';

/** The only list of job workers; tests check it against the task types used in bpmn/. */
export const workerDefinitions: readonly RegisteredWorker[] = [computeDeadline, loadLoopSettings, sendReminder, sendUrgeNotice, computeNextSchedule, publishScheduledStart];
