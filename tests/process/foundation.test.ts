import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { complete, defineWorker } from '../../workers/runtime/define-worker.ts';
import { ApiClient } from '../support/http-client.ts';
import { eventually } from '../support/engine.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser, TEST_PASSWORD } from '../support/users.ts';

/**
 * The foundation's proof on the real parts: a service task done by our worker runtime, a user
 * task for a department's candidate group with a due date, a non-interrupting P3D reminder timer
 * whose duration comes from configuration, fired by moving the engine clock, and completion by
 * a department user through our HTTP API.
 */
describe('foundation: worker, user task, configured timer, HTTP completion', () => {
  let system: TestSystem;
  const prepared: string[] = [];

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true, env: { REMINDER_LEAD: 'P3D' } });
    await system.engine.deployXml('foundation-smoke.bpmn', await readFile('tests/fixtures/bpmn/foundation-smoke.bpmn', 'utf8'));
    system.startWorkers([
      defineWorker({
        type: 'foundation-smoke-prepare',
        description: 'Sets the due date ten days out (test fixture).',
        input: z.object({ department: z.string() }),
        async handle(_vars, ctx) {
          prepared.push(ctx.job.processInstanceKey);
          return complete({ dueDate: new Date(Date.now() + 10 * 86_400_000).toISOString() });
        },
      }),
    ]);
  });

  afterAll(async () => {
    await system?.engine.resetClock();
    await system?.stop();
  });

  it('when the clock moves 3 days, then the reminder fires; when the department completes the task over HTTP, then the instance completes', async () => {
    const { db } = system.services;
    const testStart = new Date();
    const { processInstanceKey } = await system.engine.startProcess('foundation-smoke', {
      department: 'rsj',
      // Durations come from configuration into process variables, never literals in the diagram.
      reminderAfter: system.config.REMINDER_LEAD,
    });

    const task = await eventually(async () => {
      const rows: { key: string; candidate_groups: string[]; due_date: Date | null }[] = await db.query(
        `SELECT key, candidate_groups, due_date FROM engine_user_task WHERE process_instance_key = $1 AND state = 'CREATED'`,
        [processInstanceKey],
      );
      return rows[0];
    }, 'the user task');
    expect(prepared).toContain(processInstanceKey);
    expect(task.candidate_groups).toEqual(['rsj']);
    expect(task.due_date).not.toBeNull();

    const reminderFired = async () => {
      const rows: unknown[] = await db.query(
        `SELECT 1 FROM engine_element_instance WHERE process_instance_key = $1 AND element_id = 'reminded' AND state = 'COMPLETED'`,
        [processInstanceKey],
      );
      return rows.length > 0;
    };
    expect(await reminderFired()).toBe(false);
    await system.engine.pinClock(new Date(Date.now() + 3 * 86_400_000 + 60_000));
    await eventually(reminderFired, 'the P3D reminder to fire after the clock moved');

    const own = new ApiClient(system.baseUrl);
    const foreign = new ApiClient(system.baseUrl);
    const ownUser = await createTestUser(system.services, ['department'], 'rsj');
    const foreignUser = await createTestUser(system.services, ['department'], 'zjj');
    expect((await own.login(ownUser.username, TEST_PASSWORD)).status).toBe(200);
    expect((await foreign.login(foreignUser.username, TEST_PASSWORD)).status).toBe(200);

    const inbox = await own.request('GET', '/api/tasks');
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((t: { key: string }) => t.key)).toContain(task.key);
    const foreignInbox = await foreign.request('GET', '/api/tasks');
    expect(foreignInbox.body.items.map((t: { key: string }) => t.key)).not.toContain(task.key);
    expect((await foreign.request('GET', `/api/tasks/${task.key}`)).status).toBe(404);
    expect((await foreign.request('POST', `/api/tasks/${task.key}/complete`, { variables: {} })).status).toBe(404);

    const done = await own.request('POST', `/api/tasks/${task.key}/complete`, { variables: { answer: '已研判' } });
    expect(done.status).toBe(200);
    await eventually(async () => {
      const rows: { state: string }[] = await db.query(`SELECT state FROM engine_process_instance WHERE key = $1`, [processInstanceKey]);
      return rows[0]?.state === 'COMPLETED';
    }, 'the process instance to complete');
    // Engine keys restart with a fresh engine while the audit log is forever: look at this run only.
    const audit: unknown[] = await db.query(`SELECT 1 FROM audit_log WHERE action = 'task.complete' AND entity_id = $1 AND at >= $2`, [
      task.key,
      testStart,
    ]);
    expect(audit).toHaveLength(1);
  });
});
