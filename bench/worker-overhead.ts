import { readFile, rm } from 'node:fs/promises';
import pg from 'pg';
import { z } from 'zod';
import { openDatabase } from '../src/db/data-source.ts';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { createEngineGateway } from '../src/engine/client.ts';
import { startLocalEngine } from '../src/engine/local-engine.ts';
import { POLL_INTERVAL_MS, startJobWorkers } from '../src/engine/worker-host.ts';
import { runOnce } from '../src/services/effects.ts';
import type { Services } from '../src/services/index.ts';
import { enqueueMail } from '../src/services/outbox.ts';
import { createLogger } from '../src/shared/logger.ts';
import { complete, defineWorker } from '../workers/runtime/define-worker.ts';
import { toRegistrations } from '../workers/runtime/registrations.ts';

/**
 * QUALITY.md P1: a 10-service-task process through our worker stack (schema check, idempotent
 * effect + outbox transaction, logging, no-op body) against a bare SDK worker that completes at
 * once — same engine, same run. Prints saturated PI/s and p50 duration at 1 PI/s, with ratios.
 */
const log = createLogger('silent');
const dir = '.state/bench';
await rm(`${dir}/camunda`, { recursive: true, force: true });
const database = await startEmbeddedPostgres(`${dir}/pg`, 54341, log);
const admin = new pg.Client({ connectionString: database.url });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS riskloop_bench WITH (FORCE)`);
await admin.query(`CREATE DATABASE riskloop_bench`);
await admin.end();
const url = database.url.replace(/\/riskloop$/, '/riskloop_bench');
const db = await openDatabase(url, 8);
const engineProcess = await startLocalEngine({
  version: '8.6.0',
  cacheDir: '.cache',
  stateDir: `${dir}/camunda`,
  ports: { rest: 8097, grpc: 26640, management: 9640, internalBase: 26641 },
  clockControlled: false,
  readModel: { host: '127.0.0.1', port: 54341, database: 'riskloop_bench', user: 'postgres', password: 'postgres' },
  log,
});
const engine = createEngineGateway({ restAddress: 'http://127.0.0.1:8097', grpcAddress: 'grpc://127.0.0.1:26640' }, log);
const zeebe = engine.sdk().getZeebeGrpcApiClient();
await engine.deployXml('bench-ten-tasks.bpmn', await readFile('tests/fixtures/bpmn/bench-ten-tasks.bpmn', 'utf8'));

const bare = zeebe.createWorker({ taskType: 'bench-bare', maxJobsToActivate: 32, pollInterval: POLL_INTERVAL_MS, taskHandler: (job) => job.complete() });
const ours = startJobWorkers(
  engine,
  toRegistrations(
    [
      defineWorker({
        type: 'bench-ours',
        description: 'No-op body inside the production worker stack.',
        input: z.object({ run: z.string(), jobType: z.literal('bench-ours') }),
        maxJobsToActivate: 32,
        async handle(vars, ctx) {
          await runOnce(db, { jobType: ctx.job.type, businessKey: `${vars.run}:${ctx.job.key}`, jobKey: ctx.job.key }, (tx) =>
            enqueueMail(tx, { dedupKey: `bench:${vars.run}:${ctx.job.key}`, to: ['bench@example.gov'], subject: 'bench', body: 'bench' }),
          );
          ctx.log.debug('bench step');
          return complete({});
        },
      }),
    ],
    { services: { db } as unknown as Services, log },
  ),
  log,
);

const runOne = async (jobType: string, run: string) => {
  const t = performance.now();
  await zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'bench-ten-tasks', variables: { jobType, run }, requestTimeout: 120_000 });
  return performance.now() - t;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

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
await engine.close();
await engineProcess.stop();
await db.destroy();
await database.stop();
