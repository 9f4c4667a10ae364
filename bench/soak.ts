import { startJobWorkers } from '../src/engine/worker-host.ts';
import type { Services } from '../src/services/index.ts';
import { createLogger } from '../src/shared/logger.ts';
import { toRegistrations } from '../workers/runtime/registrations.ts';
import { rssMb, startBenchEngine } from './support/bench-engine.ts';
import { noopProductionWorker } from './support/noop-worker.ts';

/**
 * QUALITY.md P7 soak: the 10-task process at a steady 1 PI/s through the production worker stack
 * for SOAK_MINUTES (default 30; the documented local run is 240). Samples the RSS of this Node
 * process and of the Operaton engine's JVM (VmRSS of /proc/<pid>/status) every minute after a
 * 5-minute warm-up and prints the slopes. Instances are started over REST; completions are counted
 * in the engine's history (the `engine_process_instance` view).
 *
 *   npm exec -- node bench/soak.ts      (SOAK_MINUTES=3 for a short check)
 */
const minutes = Number(process.env.SOAK_MINUTES ?? 30);
const warmupMinutes = Math.min(5, Math.floor(minutes / 3));
const log = createLogger('silent');
const bench = await startBenchEngine('riskloop_soak', ['bench-ten-tasks']);
const workers = startJobWorkers(bench.engine, toRegistrations([noopProductionWorker(bench.db)], { services: { db: bench.db } as unknown as Services, log }), log);

const samples: { minute: number; node: number; engine: number }[] = [];
let started = 0;
let failed = 0;
const run = `soak-${Date.now()}`;
const timer = setInterval(() => {
  started++;
  bench.engine.startProcess('bench-ten-tasks', { jobType: 'bench-ours', run }).catch(() => failed++);
}, 1000);
for (let minute = 1; minute <= minutes; minute++) {
  await new Promise((r) => setTimeout(r, 60_000));
  if (minute >= warmupMinutes) samples.push({ minute, node: process.memoryUsage().rss / 1048576, engine: await rssMb(bench.engineProcess.pid) });
  process.stdout.write(`minute ${minute}: node ${samples.at(-1)?.node.toFixed(0) ?? '-'} MB, engine ${samples.at(-1)?.engine.toFixed(0) ?? '-'} MB\n`);
}
clearInterval(timer);

/** Least-squares slope in MB per 10 minutes. */
const slope = (key: 'node' | 'engine') => {
  const n = samples.length;
  const mx = samples.reduce((a, s) => a + s.minute, 0) / n;
  const my = samples.reduce((a, s) => a + s[key], 0) / n;
  const num = samples.reduce((a, s) => a + (s.minute - mx) * (s[key] - my), 0);
  const den = samples.reduce((a, s) => a + (s.minute - mx) ** 2, 0);
  return (num / den) * 10;
};
// The last instances started are still under way: give them up to a minute.
const completed = async () =>
  (await bench.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM engine_process_instance WHERE bpmn_process_id = 'bench-ten-tasks' AND state = 'COMPLETED'`))[0]!.n;
const settleBy = Date.now() + 60_000;
while ((await completed()) < started - failed && Date.now() < settleBy) await new Promise((r) => setTimeout(r, 250));
const done = { n: await completed() };
console.log(`soak ${minutes} min at 1 PI/s (10 tasks each): started ${started}, failed starts ${failed}, completed ${done.n}`);
console.log(`  Node RSS slope ${slope('node').toFixed(2)} MB/10 min (target < 1), engine RSS slope ${slope('engine').toFixed(2)} MB/10 min, engine RSS max ${Math.max(...samples.map((s) => s.engine)).toFixed(0)} MB (target ≤ 2560)`);
await workers.stop();
await bench.stop();
