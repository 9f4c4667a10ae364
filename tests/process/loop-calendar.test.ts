import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDAR_KEY } from '../../src/services/loop/calendar.ts';
import computeNextSchedule from '../../workers/compute-next-schedule.ts';
import loadLoopSettings from '../../workers/load-loop-settings.ts';
import publishScheduledStart from '../../workers/publish-scheduled-start.ts';
import { eventually } from '../support/engine.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

/**
 * The county's calendar on the real engine, the clock moved month by month: each bulletin,
 * joint meeting and round starts once on its configured working day; one started by hand is
 * not started again; a second start of the calendar makes no second calendar.
 */
describe('loop calendar: scheduled starts from configuration, on the engine clock', () => {
  let system: TestSystem;
  const STARTED = ['assessment-round', 'risk-notice', 'joint-meeting', 'supervision-bulletin'];

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    // The started processes themselves receive the calendar's start messages (they wait at their
    // first steps: only the calendar's workers run here).
    await system.engine.deployProcesses(path.resolve('bpmn'), ['loop-calendar', ...STARTED]);
    system.startWorkers([loadLoopSettings, computeNextSchedule, publishScheduledStart]);
  });

  afterAll(async () => {
    await system?.engine.publishMessage({ name: 'stop-loop-calendar', correlationKey: CALENDAR_KEY, timeToLiveMs: 0 }).catch(() => undefined);
    // Rounds, meetings and bulletins this scenario started (engine time 2030) must not wait for later tests' workers.
    const started = await system?.services.db.query<{ key: string }[]>(
      `SELECT key FROM engine_process_instance WHERE bpmn_process_id IN ('assessment-round', 'joint-meeting', 'supervision-bulletin')
       AND state = 'ACTIVE' AND start_time >= '2029-12-31'`,
    );
    for (const { key } of started ?? []) await system.engine.cancelProcessInstance(key).catch(() => undefined);
    await system?.engine.resetClock();
    await system?.stop();
  });

  const ledger = async () =>
    (await system.services.db.query<{ schedule_kind: string; business_id: string; outcome: string }[]>(
      `SELECT schedule_kind, business_id, outcome FROM scheduled_start WHERE business_id LIKE '2029-%' OR business_id LIKE '2030-%' ORDER BY at, schedule_kind`,
    )).map((r) => `${r.schedule_kind} ${r.business_id} ${r.outcome}`);
  /** Instances the calendar's start messages made: their business keys are this scenario's occurrences. */
  const probeStarts = async () =>
    (await system.services.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM engine_process_instance
       WHERE bpmn_process_id IN ('assessment-round', 'joint-meeting', 'supervision-bulletin') AND (business_key LIKE '2029-%' OR business_key LIKE '2030-%')`,
    ))[0]!.n;
  const waiting = async (elementId: string) =>
    (await system.services.db.query<unknown[]>(
      `SELECT 1 FROM engine_element_instance e JOIN engine_process_instance p ON p.key = e.process_instance_key
       WHERE p.bpmn_process_id = 'loop-calendar' AND p.state = 'ACTIVE' AND e.element_id = $1 AND e.state = 'ACTIVE'`,
      [elementId],
    )).length;
  const allWaiting = async () => (await waiting('roundWait')) === 1 && (await waiting('meetingWait')) === 1 && (await waiting('bulletinWait')) === 1;

  /** Moves the engine clock and waits until the calendar has acted and armed its timers again. */
  async function moveTo(at: string, expected: string[]) {
    await system.engine.pinClock(new Date(at));
    await eventually(async () => (await ledger()).length === expected.length && (await allWaiting()), `the calendar to act at ${at}`);
    expect(await ledger()).toEqual(expected);
  }

  it('when the clock moves through 2030, then each occurrence starts once, on its working day', async () => {
    const { db } = system.services;
    await system.engine.pinClock(new Date('2030-01-02T00:00:00Z'));
    await system.services.calendar.ensureRunning();
    await system.services.calendar.ensureRunning();
    await eventually(allWaiting, 'the calendar to wait for its first dates');
    const probesBefore = await probeStarts();
    expect(probesBefore).toBe(0);
    const calendars = await db.query(`SELECT key FROM engine_process_instance WHERE bpmn_process_id = 'loop-calendar' AND state = 'ACTIVE'`);
    expect(calendars).toHaveLength(1);

    // 2030-01-05 is a Saturday: December's bulletin comes on Monday the 7th, 09:00 local.
    await moveTo('2030-01-07T01:00:00Z', ['bulletin 2029-12 published']);
    // The first joint meeting (01-20 is a Sunday → Monday the 21st).
    await moveTo('2030-01-21T01:00:00Z', ['bulletin 2029-12 published', 'meeting 2030-H1 published']);
    // February: the bulletin of January, then the annual round of 2029.
    await moveTo('2030-02-05T01:00:00Z', ['bulletin 2029-12 published', 'meeting 2030-H1 published', 'bulletin 2030-01 published']);
    const feb = ['bulletin 2029-12 published', 'meeting 2030-H1 published', 'bulletin 2030-01 published', 'round 2029-Y published'];
    await moveTo('2030-02-11T01:00:00Z', feb);
    expect(await probeStarts()).toBe(probesBefore + 4);

    // The convener already called the second meeting by hand: the calendar does not start it again.
    await db.query(`INSERT INTO joint_meeting (id) VALUES ('2030-H2')`);
    await system.engine.pinClock(new Date('2030-07-22T02:00:00Z'));
    await eventually(async () => (await ledger()).some((l) => l.startsWith('meeting 2030-H2')) && (await allWaiting()), 'the July occurrences');
    const july = await ledger();
    expect(july).toContain('meeting 2030-H2 already_started');
    // Only one occurrence per branch fires per move: the missed months are not replayed.
    expect(july.filter((l) => l.startsWith('round'))).toEqual(['round 2029-Y published', 'round 2030-H1 published']);
    expect(new Set(july).size).toBe(july.length);
    expect(await probeStarts()).toBe(probesBefore + 4 + july.filter((l) => l.endsWith('published')).length - feb.length);
  });
});
