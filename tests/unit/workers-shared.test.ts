import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../src/domain/loop/working-days.ts';
import type { Services } from '../../src/services/index.ts';
import { createLogger } from '../../src/shared/logger.ts';
import computeDeadline from '../../workers/compute-deadline.ts';
import { runJob, type JobActions } from '../../workers/runtime/run-job.ts';

const job = { key: '1', type: 'compute-deadline', processInstanceKey: '2', bpmnProcessId: 'risk-notice', elementId: 'deadline', retries: 3 };
// The county's default calendar (no HOLIDAYS_FILE): the worker reads it from the services.
const deps = { services: { workCalendar: createWorkCalendar() } as Services, log: createLogger('silent') };
const recorder = (): JobActions<unknown> & { completed?: Record<string, unknown>; failed?: string } => {
  const r: JobActions<unknown> & { completed?: Record<string, unknown>; failed?: string } = {
    complete: async (v) => (r.completed = v),
    error: async () => undefined,
    fail: async (m) => (r.failed = m),
  };
  return r;
};

describe('compute-deadline worker', () => {
  it('when 3 working days start on a Friday, then the deadline skips the weekend and the reminder and 催办 sit one working day around it', async () => {
    const actions = recorder();
    await runJob(computeDeadline, { ...job, variables: { now: '2026-11-20T10:00:00+08:00[Asia/Shanghai]', workingDays: 3, reminderLeadWorkingDays: 1, urgeAfterWorkingDays: 1 } }, actions, deps);
    expect(actions.completed).toEqual({
      dueDate: '2026-11-25T18:00:00+08:00',
      reminderAt: '2026-11-24T09:00:00+08:00',
      urgeAt: '2026-11-26T09:00:00+08:00',
    });
  });

  it('when the engine sends no working-day count, then the job fails without retries and names the field', async () => {
    const actions = recorder();
    await runJob(computeDeadline, { ...job, variables: { now: '2026-11-20T10:00:00+08:00' } }, actions, deps);
    expect(actions.failed).toMatch(/workingDays/);
  });
});
