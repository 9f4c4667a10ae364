import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkCalendar, workingDayDeadline } from '../../src/domain/loop/working-days.ts';
import type { WorkerHost } from '../../src/engine/worker-host.ts';
import { uniqueSuffix } from '../support/database.ts';
import { eventually } from '../support/engine.ts';
import { deployLoopDiagrams, startWorkersOf } from '../support/loop-instances.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

/**
 * Issue 19 point 13 on the real engine: a risk notice issued in 2031, a year the shipped holiday
 * calendar does not know, gets its 15-working-day answer deadline from the county's HOLIDAYS_FILE
 * (the 国庆节 week off, a Sunday and a Saturday worked): the app started with that file, the
 * diagram's compute-deadline job, and the notice as the issue-risk-notice job stores it.
 */
describe('a working-day deadline with the county\'s holiday file', () => {
  let system: TestSystem;
  let workers: WorkerHost;
  let dir: string;
  let instance: string | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'risk-loop-holidays-'));
    const holidays = path.join(dir, 'holidays.yaml');
    await writeFile(holidays, 'holidays:\n  - 2031-10-01..2031-10-07\nworkdays:\n  - 2031-09-28\n  - 2031-10-11\n');
    system = await startTestSystem({ withEngine: true, env: { HOLIDAYS_FILE: holidays } });
    await deployLoopDiagrams(system, ['risk-notice']);
    // The notice's first steps only: it stops at the department's task (the document's layout is not needed here).
    workers = startWorkersOf(system, ['load-loop-settings', 'compute-deadline', 'issue-risk-notice']);
  });

  afterAll(async () => {
    if (instance) await system?.engine.cancelProcessInstance(instance).catch(() => undefined);
    await workers?.stop();
    await system?.engine.resetClock();
    await system?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('when a notice is issued on Friday 2031-09-26, then it is due on 2031-10-22 at 18:00, counting the configured holidays and make-up workdays', async () => {
    const { db } = system.services;
    const roundId = `R-${uniqueSuffix()}`;
    await db.query(`INSERT INTO assessment_round (id, kind, period_start, period_end) VALUES ($1, 'half_year', '2031-01-01', '2031-06-30')`, [roundId]);
    await system.engine.pinClock(new Date('2031-09-26T02:00:00Z')); // 10:00 in Beijing
    const noticeKey = `${roundId}:rsj`;
    instance = (await system.engine.startProcess('risk-notice', { roundId, roundKind: 'half_year', departmentId: 'rsj', indicatorIds: ['B5'], noticeKey }, noticeKey)).processInstanceKey;

    const notice = await eventually(
      async () => (await db.query<{ due_date: Date; number: string | null }[]>(`SELECT due_date, number FROM risk_notice WHERE round_id = $1 AND number IS NOT NULL`, [roundId]))[0],
      'the notice to be issued',
      60_000,
    );
    // 2031-10-22T18:00:00+08:00: Sun 28, Mon 29, Tue 30 (3), 1–7 October off, 8–11 (7), 13–17 (12), 20–22 (15).
    expect(notice.due_date.toISOString()).toBe('2031-10-22T10:00:00.000Z');
    expect(notice.number).toMatch(/〔2031〕/);
    // The department's task carries the same deadline.
    const task = await eventually(
      async () => (await db.query<{ due_date: Date }[]>(`SELECT due_date FROM engine_user_task WHERE process_instance_key = $1 AND element_id = 'submitOpinion' AND state = 'CREATED'`, [instance]))[0],
      'the department\'s task',
      60_000,
    );
    expect(task.due_date.toISOString()).toBe('2031-10-22T10:00:00.000Z');
    // Without the file the shipped calendar would have counted the holiday week as working days.
    expect(workingDayDeadline(createWorkCalendar(), '2031-09-26T10:00:00+08:00', 15).dueDate).toBe('2031-10-17T18:00:00+08:00');
  });
});
