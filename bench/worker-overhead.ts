import { POLL_INTERVAL_MS, startJobWorkers } from '../src/engine/worker-host.ts';
import type { Services } from '../src/services/index.ts';
import { createLogger } from '../src/shared/logger.ts';
import { toRegistrations } from '../workers/runtime/registrations.ts';
import { median, startBenchEngine } from './support/bench-engine.ts';
import { noopProductionWorker } from './support/noop-worker.ts';

/**
 * QUALITY.md P1: a 10-service-task process through our worker stack (schema check, idempotent
 * effect + outbox transaction, logging, no-op body) against a bare SDK worker that completes at
 * once — same engine, same run. Prints saturated PI/s and p50 duration at 1 PI/s, with ratios.
 */
const log = createLogger('silent');
const bench = await startBenchEngine('riskloop_bench', ['bench-ten-tasks']);
const { db, engine } = bench;
const zeebe = engine.sdk().getZeebeGrpcApiClient();

const bare = zeebe.createWorker({ taskType: 'bench-bare', maxJobsToActivate: 32, pollInterval: POLL_INTERVAL_MS, taskHandler: (job) => job.complete() });
const ours = startJobWorkers(engine, toRegistrations([noopProductionWorker(db)], { services: { db } as unknown as Services, log }), log);

const runOne = async (jobType: string, run: string) => {
  const t = performance.now();
  await zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'bench-ten-tasks', variables: { jobType, run }, requestTimeout: 120_000 });
  return performance.now() - t;
};

async function saturated(jobType: string, n: number): Promise<number> {
  const run = `${jobType}-sat-${Date.now()}`;
  const t = performance.now();
  await Promise.all(Array.from({ length: n }, () => runOne(jobType, run)));
  return n / ((performance.now() - t) / 1000);
}
async function paced(jobType: string, n: number): Promise<number> {
  const run = `${jobType}-paced-${Date.now()}`;
  const durations: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    durations.push(await runOne(jobType, run));
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - started))));
  }
  return median(durations);
}

await saturated("bench-bare", 10); // warm-up of both paths
await saturated('bench-ours', 10);
const results = { bare: { sat: [] as number[], p50: [] as number[] }, ours: { sat: [] as number[], p50: [] as number[] } };
for (let rep = 0; rep < 3; rep++) {
  results.bare.sat.push(await saturated('bench-bare', 60));
  results.ours.sat.push(await saturated('bench-ours', 60));
  results.bare.p50.push(await paced('bench-bare', 10));
  results.ours.p50.push(await paced('bench-ours', 10));
}
const sat = { bare: median(results.bare.sat), ours: median(results.ours.sat) };
const p50 = { bare: median(results.bare.p50), ours: median(results.ours.p50) };
console.log(`10-task process, medians of 3 runs (60 concurrent instances for throughput, 10 paced at 1 PI/s for latency)`);
console.log(`  saturated PI/s: bare SDK ${sat.bare.toFixed(2)}, our stack ${sat.ours.toFixed(2)} → ${((sat.ours / sat.bare) * 100).toFixed(0)} % (target ≥ 90 %)`);
console.log(
  `  p50 duration:   bare SDK ${p50.bare.toFixed(0)} ms, our stack ${p50.ours.toFixed(0)} ms → +${(((p50.ours - p50.bare) / p50.bare) * 100).toFixed(0)} % (+${((p50.ours - p50.bare) / 10).toFixed(1)} ms/task; target ≤ +10 % or +5 ms/task)`,
);

await bare.close();
await ours.stop();
await bench.stop();
