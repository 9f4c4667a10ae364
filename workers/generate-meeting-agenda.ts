import { complete, contractWorker } from './runtime/define-worker.ts';

/** `generate-meeting-agenda` (joint-meeting): The agenda from the latest round, late or returned opinions and overdue items; once per meeting. */
export default contractWorker<{ now: string; meetingId: string }, Record<string, unknown>>('generate-meeting-agenda', async (v, { services, job }) => complete(await services.meetingFlow.agenda(v, job.key)));
