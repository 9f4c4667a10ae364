import { cpus, loadavg } from 'node:os';
import { loadConfig } from '../src/config/load-config.ts';
import { MESSAGE_NAMES } from '../src/engine/contract.ts';
import { EngineRestError } from '../src/engine/rest.ts';
import { LOCK_MS, startJobWorkers } from '../src/engine/worker-host.ts';
import { bootstrapCore, deployProcesses, startMail, startWorkers } from '../src/main/bootstrap.ts';
import type { Actor } from '../src/services/actor.ts';
import { seedDemoCaseData } from '../src/services/demo-seed.ts';
import { waitForOpenTask } from '../src/services/inbox.ts';
import { loopSettingsFrom } from '../src/services/loop/settings.ts';
import { createLogger } from '../src/shared/logger.ts';
import { waitFor } from '../src/shared/wait-for.ts';
import { workerDefinitions } from '../workers/registry.ts';
import { toRegistrations } from '../workers/runtime/registrations.ts';
import { raiseToRecipients, type Recipient } from '../tests/support/county-round.ts';
import { startBareWorkers } from './support/bare-worker.ts';
import { benchPort, startBenchEngine } from './support/bench-engine.ts';
import { median } from './support/stats.ts';

/**
 * QUALITY.md P4b / issue 8, burst: an assessment round fanning out to 30 departments — all 30
 * risk-notice user tasks exist ≤ 5 s after the leader's approval, and ≤ 1.5× the time of the same
 * round with no-op workers. Run: `npm exec -- node bench/burst.ts` (BURST_REPS, default 5).
 *
 * What is measured: the production diagrams (bpmn/, deployed as `npm start` deploys them) on the
 * private bench engine (Operaton) and database, a half-year round (2025-H1) over the demo county's
 * cases. The round is started by its message, the court submits and the leader approves through
 * the inbox service the web app calls. The clock starts right before the leader's `complete` call
 * and stops when the engine's tables, read through the `engine_user_task` view as the inbox reads
 * them, hold all 30 `submitOpinion` tasks of the round's `risk-notice` children, polled every
 * 20 ms — i.e. what a department's inbox would show. In between: `approve-assessment-round`, the
 * parallel multi-instance call activity, and in each of the 30 children `load-loop-settings` →
 * `compute-deadline` → `issue-risk-notice`. Also printed: the engine's own interval
 * (leaderApproval's end → the last task's creation timestamp).
 *
 * - ours: the workers exactly as `src/main/workers.ts` starts them (workers/registry.ts through the
 *   runtime: schema check, effect + outbox transactions), with the outbox mail dispatcher sending
 *   to a local catcher. `issue-risk-notice` records and numbers each notice; on the parallel
 *   branch `deliver-risk-notice` lays out (on the render thread), stores and mails each numbered
 *   风险提示函 with its PDF — the full production work, nothing skipped; it competes for the two
 *   cores while the tasks are being created. Logging is silent, as in the other benches.
 * - layout-off: P4b as QUALITY.md defines it ("no document rendering"): the same production
 *   workers, but `deliver-risk-notice` is completed at once by a bare worker.
 * - no-op: the same diagrams, every topic served by a bare external-task client (the official
 *   camunda-external-task-client-js: one long poll for all topics like our host, as many tasks in
 *   flight as our largest per-topic limit, the same locks) that completes at once — with local
 *   variables where the element maps its result, as our host does — with only what the diagrams
 *   need to go on: `settings` (load-loop-settings), `dueDate`/`reminderAt`/`urgeAt` 30 days ahead
 *   (compute-deadline, for the task due dates and boundary timers) and `noticeRecipients` — the
 *   same 30 units as the production rounds (approve-assessment-round).
 *
 * The 30 recipients: the demo county's data gives only a handful of units with a high indicator;
 * tests/support/county-round.ts raises levels in the computed run until exactly 30 units own one
 * (before the court submits, outside the measured interval).
 *
 * One worker set serves the engine at a time: they are swapped between repetitions, when no job
 * is open. Each repetition is a fresh round; after it the round is cancelled (its notices with it)
 * and the outbox drained, so every measurement starts quiet. One warm-up of each, then BURST_REPS
 * of each, in turn; medians.
 */
const RECIPIENTS = 30;
const REPS = Number(process.env.BURST_REPS ?? 5);
const WAIT_MS = 180_000;
// BENCH_LOG_LEVEL=warn shows the workers' warnings (retries, lost completions) when a figure looks wrong.
const log = createLogger(process.env.BENCH_LOG_LEVEL ?? 'silent');
const loadLine = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const startLoad = loadLine();

// BURST_TWO_NODES=1 (issue 18): also the production workers and app on two engine nodes sharing the database.
const TWO_NODES = process.env.BURST_TWO_NODES === '1';
const bench = await startBenchEngine('riskloop_burst', [], { secondNode: TWO_NODES });
const config = loadConfig({
  ...process.env,
  LOG_LEVEL: 'silent',
  LOOP_CALENDAR_ENABLED: 'false',
  // A port of its own so the catcher never meets a running demo's (2525); shifted like the bench engine's.
  MAIL_CATCHER_PORT: String(benchPort(2541)),
  SMTP_URL: undefined,
  // A fixed key keeps the bench from creating .state/secrets (the demo cases carry no identities).
  PERSONAL_DATA_HMAC_KEY: 'bench-burst-hmac-key-not-a-secret',
});
// The production core (own pool and engine client, as src/main/workers.ts has) on the bench engine.
const core = await bootstrapCore(config, log, bench.databaseUrl, bench.engineAddress);
// The same production core, its REST layer going round both nodes (as ENGINE_NODES=2 runs it).
const twoNodeCore = TWO_NODES ? await bootstrapCore(config, log, bench.databaseUrl, { ...bench.engineAddress, moreNodes: [bench.secondNode!.restAddress] }) : undefined;
const { services } = core;
const { db } = services;
await deployProcesses(core, log);
await seedDemoCaseData(db);
const mail = await startMail(core, config, log);

const person = (roles: Actor['roles'], departmentId: string, displayName: string): Actor => ({ id: null, username: `bench:${departmentId}`, displayName, departmentId, roles });
const court = person(['court_analyst'], 'court', '县法院数据专员');
const leader = person(['leader'], 'zfw', '县委政法委领导');

/**
 * - ours: the production workers, all of them;
 * - layout-off: QUALITY.md P4b as it is defined ("no document rendering"): the production workers,
 *   except that `deliver-risk-notice` — the parallel branch that lays out, stores and mails each
 *   notice — is completed at once by a bare worker;
 * - noop: bare workers for every job type;
 * - two-nodes (BURST_TWO_NODES=1): the production workers and the inbox on two engine nodes.
 */
type Mode = 'ours' | 'layout-off' | 'noop' | 'two-nodes';
/** A set of workers serving the engine. */
type Serving = { stop(): Promise<void> };
const MODES: readonly Mode[] = TWO_NODES ? ['ours', 'layout-off', 'noop', 'two-nodes'] : ['ours', 'layout-off', 'noop'];
const LAYOUT = 'deliver-risk-notice';

/** The bare-client baseline: the given job types, completed at once with what the diagrams need. */
function startNoopWorkers(recipients: Recipient[], types: (type: string) => boolean): Serving {
  const ahead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  const outputs: Record<string, Record<string, unknown>> = {
    'load-loop-settings': { settings: loopSettingsFrom(config) },
    'compute-deadline': { dueDate: ahead(30), reminderAt: ahead(27), urgeAt: ahead(31) },
    'approve-assessment-round': { noticeRecipients: recipients, noticeCount: recipients.length },
  };
  const registrations = toRegistrations(workerDefinitions.filter((d) => types(d.type)), { services, log });
  return startBareWorkers(
    bench.engineAddress,
    registrations.map((r) => ({ type: r.type, lockMs: Math.min(LOCK_MS, r.timeoutMs) })),
    {
      maxTasks: Math.max(...registrations.map((r) => r.maxJobsToActivate)),
      completion: (task) => ({
        variables: outputs[task.topicName] ?? {},
        local: (core.catalog.element(task.processDefinitionKey, task.activityId)?.outputs.length ?? 0) > 0,
      }),
    },
  );
}

/** The round's instance: its start message's correlation key is its business key. */
const roundInstance = (roundId: string) =>
  waitFor(
    async () =>
      (
        await db.query<{ k: string }[]>(
          `SELECT key::text AS k FROM engine_process_instance WHERE bpmn_process_id = 'assessment-round' AND business_key = $1 AND state = 'ACTIVE'`,
          [roundId],
        )
      )[0]?.k,
    `round ${roundId} to start`,
    WAIT_MS,
  );

const noticeTasks = (roundKey: string) =>
  db.query<{ n: number; units: string[]; last: Date | null }[]>(
    `SELECT count(*)::int AS n, array_agg(DISTINCT t.candidate_groups[1]) AS units, max(t.creation_time) AS last
     FROM engine_user_task t JOIN engine_process_instance p ON p.key = t.process_instance_key
     WHERE p.parent_process_instance_key = $1 AND t.element_id = 'submitOpinion'`,
    [roundKey],
  );

/** Where the children of a stuck round wait (element → count), for the error message. */
const waiting = async (roundKey: string) =>
  db.query<{ element_id: string; n: number }[]>(
    `SELECT e.element_id, count(*)::int AS n FROM engine_element_instance e JOIN engine_process_instance p ON p.key = e.process_instance_key
     WHERE p.parent_process_instance_key = $1 AND e.end_time IS NULL AND e.element_type NOT IN ('PROCESS', 'USER_TASK') GROUP BY 1`,
    [roundKey],
  );

const incidents = async (roundKey: string) =>
  db.query<{ element_id: string; error_message: string | null }[]>(
    `SELECT i.element_id, i.error_message FROM engine_incident i JOIN engine_process_instance p ON p.key = i.process_instance_key
     WHERE i.state = 'ACTIVE' AND (p.key = $1 OR p.parent_process_instance_key = $1) LIMIT 3`,
    [roundKey],
  );

/**
 * Nothing left to lay out or send and the round (its notices with it) cancelled in the engine: the
 * next round starts quiet. Where the 风险提示函 are laid out, every notice's document is stored
 * first — a cancelled round's layouts would otherwise go on in the render threads during the next
 * measurement.
 */
async function settle(roundKey: string, laidOutFor: string | null): Promise<void> {
  if (laidOutFor) {
    await waitFor(
      async () => (await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM risk_notice WHERE round_id = $1 AND document_id IS NULL`, [laidOutFor]))[0]!.n === 0,
      'every notice of the round to be laid out and stored',
      WAIT_MS,
    );
  }
  // The notices' parallel branch (deliver-risk-notice) may still be completing: a cancellation that
  // meets one of its transactions is refused with an optimistic-locking conflict, and is asked again.
  for (let attempt = 1; ; attempt++) {
    try {
      await bench.engine.cancelProcessInstance(roundKey);
      break;
    } catch (error) {
      if (!(error instanceof EngineRestError && error.type === 'OptimisticLockingException') || attempt === 10) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  await waitFor(async () => (await db.query<{ state: string }[]>(`SELECT state FROM engine_process_instance WHERE key = $1`, [roundKey]))[0]?.state === 'TERMINATED', 'the round to be cancelled', WAIT_MS);
  await waitFor(async () => (await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`))[0]!.n === 0, 'the outbox to drain', WAIT_MS);
  await new Promise((r) => setTimeout(r, 1000));
}

interface Burst {
  /** Leader's complete call → 30 tasks in the engine's tables (the inbox's view), ms. */
  wall: number;
  /** Engine timestamps: leaderApproval completed → last notice task created, ms. */
  engine: number;
  /** Engine timestamps: first `issueNotice` job activated → last one completed, ms. */
  issuing: number;
  recipients: Recipient[];
}

let sequence = 0;
async function burst(mode: Mode, recipients: Recipient[] | null): Promise<Burst> {
  const roundId = `burst-${mode}-${++sequence}-2025-H1`;
  await bench.engine.publishMessage({
    name: MESSAGE_NAMES.startAssessmentRound,
    correlationKey: roundId,
    messageId: roundId,
    timeToLiveMs: 0,
    variables: { roundId, roundKind: 'half_year', year: 2025, periodStart: '2025-01-01', periodEnd: '2025-06-30' },
  });
  const roundKey = await roundInstance(roundId);
  const courtTask = await waitForOpenTask(db, roundKey, 'courtReview', WAIT_MS);
  // The production approval reads the round's own indicator run; the bare one is handed the list.
  const list = mode === 'noop' ? recipients! : await raiseToRecipients(services, roundId, RECIPIENTS);
  const { inbox } = (mode === 'two-nodes' ? twoNodeCore! : core).services;
  await inbox.complete(court, courtTask, { courtDecision: 'submit', courtNotes: '数据已核对' });
  const leaderTask = await waitForOpenTask(db, roundKey, 'leaderApproval', WAIT_MS);
  // Whatever the court's step set off (e.g. the second report's rendering) is over before the clock starts.
  await new Promise((r) => setTimeout(r, 1000));

  const started = performance.now();
  await inbox.complete(leader, leaderTask, { leaderDecision: 'approve', leaderComments: '同意发出风险提示函' });
  const deadline = Date.now() + WAIT_MS;
  let tasks = (await noticeTasks(roundKey))[0]!;
  while (tasks.n < RECIPIENTS) {
    if (Date.now() > deadline) {
      const open = await incidents(roundKey);
      throw new Error(
        `${roundId}: ${tasks.n}/${RECIPIENTS} notice tasks after ${WAIT_MS} ms; waiting in ${JSON.stringify(await waiting(roundKey))}${open.length ? `; incidents: ${JSON.stringify(open)}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
    tasks = (await noticeTasks(roundKey))[0]!;
  }
  const wall = performance.now() - started;

  const units = [...tasks.units].sort();
  const expected = list.map((r) => r.departmentId).sort();
  if (tasks.n !== RECIPIENTS || JSON.stringify(units) !== JSON.stringify(expected)) throw new Error(`${roundId}: tasks for ${units.join(',')}, expected ${expected.join(',')}`);
  const [approval] = await db.query<{ end_time: Date }[]>(`SELECT end_time FROM engine_user_task WHERE key = $1`, [leaderTask]);
  const engineMs = tasks.last!.getTime() - approval!.end_time.getTime();
  const [issuing] = await db.query<{ ms: number }[]>(
    `SELECT extract(epoch FROM max(e.end_time) - min(e.start_time))::float * 1000 AS ms
     FROM engine_element_instance e JOIN engine_process_instance p ON p.key = e.process_instance_key
     WHERE p.parent_process_instance_key = $1 AND e.element_id = 'issueNotice'`,
    [roundKey],
  );
  await settle(roundKey, mode === 'ours' || mode === 'two-nodes' ? roundId : null);
  return { wall, engine: engineMs, issuing: issuing!.ms, recipients: list };
}

function startServing(mode: Mode, recipients: Recipient[] | null): Serving {
  if (mode === 'ours') return startWorkers(core, log);
  if (mode === 'two-nodes') return startWorkers(twoNodeCore!, log);
  if (mode === 'noop') return startNoopWorkers(recipients!, () => true);
  // As startWorkers does (src/main/bootstrap.ts), less one topic: the catalog decides local completion.
  const production = startJobWorkers(core.engine, toRegistrations(workerDefinitions.filter((d) => d.type !== LAYOUT), { services, log }), log, core.catalog);
  const layout = startNoopWorkers(recipients!, (type) => type === LAYOUT);
  return { stop: async () => void (await Promise.all([production.stop(), layout.stop()])) };
}

const serving: { mode?: Mode; workers?: Serving } = {};
async function run(mode: Mode, recipients: Recipient[] | null): Promise<Burst> {
  if (serving.mode !== mode) {
    await serving.workers?.stop();
    serving.mode = mode;
    serving.workers = startServing(mode, recipients);
  }
  return burst(mode, recipients);
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
// Warm-up: the production one also fixes the 30 units the no-op rounds get.
const warm = await run('ours', null);
const recipients = warm.recipients;
await run('layout-off', recipients);
await run('noop', recipients);
if (TWO_NODES) await run('two-nodes', recipients);
console.log(`warm-up done: ours ${fmt(warm.wall)}; recipients ${recipients.map((r) => r.departmentId).join(', ')}`);

const results: Record<Mode, Burst[]> = { ours: [], 'layout-off': [], noop: [], 'two-nodes': [] };
for (let rep = 1; rep <= REPS; rep++) {
  for (const mode of MODES) {
    const b = await run(mode, recipients);
    results[mode].push(b);
    console.log(`rep ${rep} ${mode.padEnd(10)}: ${fmt(b.wall)} (engine ${fmt(b.engine)}; 30 issue-risk-notice jobs ${fmt(b.issuing)})`);
  }
}

const med = (mode: Mode, key: 'wall' | 'engine' | 'issuing') => median(results[mode].map((b) => b[key]));
const noop = med('noop', 'wall');
const list = (mode: Mode) => results[mode].map((b) => (b.wall / 1000).toFixed(2)).join(' / ');
const label: Record<Mode, string> = { ours: 'production workers', 'layout-off': 'production, no layout', noop: 'no-op workers', 'two-nodes': 'production, two nodes' };
console.log(`burst on Operaton: assessment round approved → ${RECIPIENTS} risk-notice tasks open (engine_user_task), medians of ${REPS} (after 1 warm-up each)`);
for (const mode of MODES) {
  console.log(`  ${`${label[mode]}:`.padEnd(23)}${fmt(med(mode, 'wall'))} (${list(mode)}); engine timestamps ${fmt(med(mode, 'engine'))}, of which issue-risk-notice ${fmt(med(mode, 'issuing'))}`);
}
for (const mode of ['ours', 'layout-off'] as const) {
  const wall = med(mode, 'wall');
  const ratio = wall / noop;
  console.log(
    `  ${label[mode]}: ${fmt(wall)} (target ≤ 5 s) → ${wall <= 5000 ? 'met' : 'NOT met'}; ×${ratio.toFixed(2)} of no-op (target ≤ 1.5×) → ${ratio <= 1.5 ? 'met' : 'NOT met'}`,
  );
}
if (TWO_NODES) console.log(`  two engine nodes vs one: ${fmt(med('two-nodes', 'wall'))} vs ${fmt(med('ours', 'wall'))} → ×${(med('two-nodes', 'wall') / med('ours', 'wall')).toFixed(2)}`);
// The machine is shared: its load says how much of the spread is other people's work.
console.log(`  load average (1/5/15 min) at start ${startLoad}, at end ${loadLine()}, on ${cpus().length} cores`);

await serving.workers?.stop();
await mail.stop();
await twoNodeCore?.close();
await core.close();
await bench.stop();
