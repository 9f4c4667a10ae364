import { readFile } from 'node:fs/promises';
import { startJobWorkers } from '../src/engine/worker-host.ts';
import type { Services } from '../src/services/index.ts';
import { createLogger } from '../src/shared/logger.ts';
import { toRegistrations } from '../workers/runtime/registrations.ts';
import { startBenchEngine } from './support/bench-engine.ts';
import { noopProductionWorker } from './support/noop-worker.ts';

/**
 * QUALITY.md P7 soak: the 10-task process at a steady 1 PI/s through the production worker stack
 * for SOAK_MINUTES (default 30; the documented local run is 240). Samples the RSS of this Node
 * process and of the Camunda JVM every minute after a 5-minute warm-up and prints the slopes.
 */
const minutes = Number(process.env.SOAK_MINUTES ?? 30);
const warmupMinutes = Math.min(5, Math.floor(minutes / 3));
const log = createLogger('silent');
const bench = await startBenchEngine('riskloop_soak', ['bench-ten-tasks']);
const workers = startJobWorkers(bench.engine, toRegistrations([noopProductionWorker(bench.db)], { services: { db: bench.db } as unknown as Services, log }), log);

const rssMb = async (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const samples: { minute: number; node: number; camunda: number }[] = [];
let started = 0;
let failed = 0;
const run = `soak-${Date.now()}`;
const timer = setInterval(() => {
  started++;
  bench.engine.startProcess('bench-ten-tasks', { jobType: 'bench-ours', run }).catch(() => failed++);
}, 1000);
for (let minute = 1; minute <= minutes; minute++) {
  await new Promise((r) => setTimeout(r, 60_000));
  if (minute >= warmupMinutes) samples.push({ minute, node: process.memoryUsage().rss / 1048576, camunda: await rssMb(bench.engineProcess.pid) });
  process.stdout.write(`minute ${minute}: node ${samples.at(-1)?.node.toFixed(0) ?? '-'} MB, camunda ${samples.at(-1)?.camunda.toFixed(0) ?? '-'} MB\n`);
}
clearInterval(timer);

/** Least-squares slope in MB per 10 minutes. */
const slope = (key: 'node' | 'camunda') => {
  const n = samples.length;
  const mx = samples.reduce((a, s) => a + s.minute, 0) / n;
  const my = samples.reduce((a, s) => a + s[key], 0) / n;
  const num = samples.reduce((a, s) => a + (s.minute - mx) * (s[key] - my), 0);
  const den = samples.reduce((a, s) => a + (s.minute - mx) ** 2, 0);
  return (num / den) * 10;
};
const [done] = await bench.db.query(`SELECT count(*)::int AS n FROM engine_process_instance WHERE bpmn_process_id = 'bench-ten-tasks' AND state = 'COMPLETED'`);
console.log(`soak ${minutes} min at 1 PI/s (10 tasks each): started ${started}, failed starts ${failed}, completed ${done.n}`);
console.log(`  Node RSS slope ${slope('node').toFixed(2)} MB/10 min (target < 1), Camunda RSS slope ${slope('camunda').toFixed(2)} MB/10 min, Camunda RSS max ${Math.max(...samples.map((s) => s.camunda)).toFixed(0)} MB (target ≤ 2560)`);
await workers.stop();
await bench.stop();
