import type { MinutesInput } from '../src/services/loop/meeting-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `record-meeting-minutes` (joint-meeting): The minutes (第十条) and their 纪要; once per meeting. */
export default contractWorker<MinutesInput, Record<string, unknown>>('record-meeting-minutes', async (v, { services, job }) => complete(await services.meetingFlow.minutes(v, job.key)));
