import { LOCK_MS, startJobWorkers } from '../src/engine/worker-host.ts';
import type { Services } from '../src/services/index.ts';
import { createLogger } from '../src/shared/logger.ts';
import { toRegistrations } from '../workers/runtime/registrations.ts';
import { startBareWorkers } from './support/bare-worker.ts';
import { inParallel, startBenchEngine } from './support/bench-engine.ts';
import { median } from './support/stats.ts';
import { noopProductionWorker } from './support/noop-worker.ts';

/**
 * QUALITY.md P1: a 10-service-task process (tests/fixtures/bpmn/bench-ten-tasks.bpmn, topic
 * `${jobType}`) through our worker stack — the worker host's long poll and lock extension, the
 * runtime's schema check, the idempotent effect + outbox transaction, logging, a no-op body — against
 * a bare external-task client (the official camunda-external-task-client-js, same long poll, same
 * task limit and lock) that completes each task at once: same engine, same run.
 *
 * Instances are started over REST (`startProcess`, business key `<run>:<i>`); completion is read
 * from the engine's history through the `engine_process_instance` view (one count query every
 * 20 ms, cheaper than the history REST call). Throughput: N instances started at once (or
 * START_CONCURRENCY at a time), N divided by the time from the first start call to the last
 * completion seen. Latency: instances started at 1 PI/s, p50 of the engine's own start → end
 * timestamps. Medians of REPS repetitions. Both worker sets keep up to MAX_TASKS tasks in flight
 * (the no-op worker's production-style limit, 32).
 *
 *   npm exec -- node bench/worker-overhead.ts
 *   WORKER_BENCH_INSTANCES (60) WORKER_BENCH_PACED (10) WORKER_BENCH_REPS (5)
 *   WORKER_BENCH_MAX_TASKS (32) WORKER_BENCH_START_CONCURRENCY (all instances at once)
 */
const INSTANCES = Number(process.env.WORKER_BENCH_INSTANCES ?? 60);
const PACED = Number(process.env.WORKER_BENCH_PACED ?? 10);
const REPS = Number(process.env.WORKER_BENCH_REPS ?? 5);
const MAX_TASKS = Number(process.env.WORKER_BENCH_MAX_TASKS ?? 32);
const START_CONCURRENCY = Number(process.env.WORKER_BENCH_START_CONCURRENCY ?? INSTANCES);
const WAIT_MS = 300_000;
const log = createLogger('silent');
const bench = await startBenchEngine('riskloop_bench', ['bench-ten-tasks']);
const { db, engine } = bench;

const [registration] = toRegistrations([noopProductionWorker(db, { maxJobsToActivate: MAX_TASKS })], { services: { db } as unknown as Services, log });
const ours = startJobWorkers(engine, [registration!], log);
// The same task limit and lock as ours: only the work around the completion differs.
const bare = startBareWorkers(bench.engineAddress, [{ type: 'bench-bare', lockMs: Math.min(LOCK_MS, registration!.timeoutMs) }], {
  maxTasks: registration!.maxJobsToActivate,
});

type JobType = 'bench-bare' | 'bench-ours';
let runs = 0;

const state = (run: string) =>
  db.query<{ done: number; incidents: number }[]>(
    `SELECT count(*) FILTER (WHERE p.state = 'COMPLETED')::int AS done,
            (SELECT count(*)::int FROM engine_incident i WHERE i.bpmn_process_id = 'bench-ten-tasks' AND i.state = 'ACTIVE') AS incidents
     FROM engine_process_instance p WHERE p.bpmn_process_id = 'bench-ten-tasks' AND p.business_key LIKE $1`,
    [`${run}:%`],
  );

async function allDone(run: string, n: number): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const [s] = await state(run);
    if (s!.done === n) return;
    if (s!.incidents > 0) throw new Error(`${run}: ${s!.incidents} incidents`);
    if (Date.now() > deadline) throw new Error(`${run}: ${s!.done}/${n} instances completed after ${WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const start = (jobType: JobType, run: string, i: number) => engine.startProcess('bench-ten-tasks', { jobType, run }, `${run}:${i}`);

/** N instances started at once (START_CONCURRENCY at a time) → PI/s until the last has completed. */
async function saturated(jobType: JobType, n: number): Promise<number> {
  const run = `${jobType}-sat-${++runs}`;
  const t = performance.now();
  await inParallel(Array.from({ length: n }, (_, i) => i), START_CONCURRENCY, (i) => start(jobType, run, i));
  await allDone(run, n);
  return n / ((performance.now() - t) / 1000);
}

/** N instances at 1 PI/s → median of the engine's start → end per instance, ms. */
async function paced(jobType: JobType, n: number): Promise<number> {
  const run = `${jobType}-paced-${++runs}`;
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await start(jobType, run, i);
    if (i < n - 1) await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - started))));
  }
  await allDone(run, n);
  const rows = await db.query<{ ms: number }[]>(
    `SELECT extract(epoch FROM end_time - start_time)::float * 1000 AS ms FROM engine_process_instance WHERE bpmn_process_id = 'bench-ten-tasks' AND business_key LIKE $1`,
    [`${run}:%`],
  );
  return median(rows.map((r) => r.ms));
}

// Warm-up of both paths with as many instances as a measured run: the engine's JIT keeps speeding
// up over the first few hundred tasks (10-instance warm-ups left the first repetition at half speed).
await saturated('bench-bare', INSTANCES);
await saturated('bench-ours', INSTANCES);
const results = { bare: { sat: [] as number[], p50: [] as number[] }, ours: { sat: [] as number[], p50: [] as number[] } };
for (let rep = 0; rep < REPS; rep++) {
  results.bare.sat.push(await saturated('bench-bare', INSTANCES));
  results.ours.sat.push(await saturated('bench-ours', INSTANCES));
  results.bare.p50.push(await paced('bench-bare', PACED));
  results.ours.p50.push(await paced('bench-ours', PACED));
  console.log(
    `rep ${rep + 1}: PI/s bare ${results.bare.sat.at(-1)!.toFixed(2)}, ours ${results.ours.sat.at(-1)!.toFixed(2)}; p50 bare ${results.bare.p50.at(-1)!.toFixed(0)} ms, ours ${results.ours.p50.at(-1)!.toFixed(0)} ms`,
  );
}
const sat = { bare: median(results.bare.sat), ours: median(results.ours.sat) };
const p50 = { bare: median(results.bare.p50), ours: median(results.ours.p50) };
const satRatio = sat.ours / sat.bare;
const perTask = (p50.ours - p50.bare) / 10;
console.log(
  `10-task process on Operaton, medians of ${REPS} runs (${INSTANCES} instances started ${START_CONCURRENCY >= INSTANCES ? 'at once' : `${START_CONCURRENCY} at a time`} for throughput, ${PACED} at 1 PI/s for latency; ${MAX_TASKS} tasks in flight per worker); baseline: bare camunda-external-task-client-js`,
);
console.log(`  saturated PI/s: bare client ${sat.bare.toFixed(2)}, our stack ${sat.ours.toFixed(2)} → ${(satRatio * 100).toFixed(0)} % (target ≥ 90 %: ${satRatio >= 0.9 ? 'met' : 'NOT met'})`);
console.log(
  `  p50 duration:   bare client ${p50.bare.toFixed(0)} ms, our stack ${p50.ours.toFixed(0)} ms → ${p50.ours >= p50.bare ? '+' : ''}${(((p50.ours - p50.bare) / p50.bare) * 100).toFixed(0)} % (${perTask >= 0 ? '+' : ''}${perTask.toFixed(1)} ms/task; target ≤ +10 % or +5 ms/task)`,
);
if (bare.failed > 0) console.log(`  note: the engine refused ${bare.failed} of the bare client's completions`);

await bare.stop();
await ours.stop();
await bench.stop();
