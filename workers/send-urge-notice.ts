import type { LoopSettings } from '../src/engine/contract.ts';
import type { UrgeRequest } from '../src/services/loop/reminders.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/**
 * `send-urge-notice` (risk-notice and supervision-item, the working day after a deadline): the
 * 《催办通知书》 cc the unit's 分管领导, recorded as a 催办; once per subject and deadline.
 */
export default contractWorker<Omit<UrgeRequest, 'graceWorkingDays'> & { settings: LoopSettings }, Record<string, never>>(
  'send-urge-notice',
  async ({ settings, ...v }, { services, job }) => {
    await services.reminders.urge({ ...v, graceWorkingDays: settings.yellowCardAfterUrgeWorkingDays }, job.key);
    return complete({});
  },
);
