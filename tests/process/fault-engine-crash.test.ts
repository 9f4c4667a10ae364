import { readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { z } from 'zod';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source.ts';
import { createEngineGateway, type EngineGateway } from '../../src/engine/client.ts';
import { startLocalEngine, type LocalEngine, type LocalEngineOptions } from '../../src/engine/local-engine.ts';
import { startJobWorkers, type WorkerHost } from '../../src/engine/worker-host.ts';
import { runOnce } from '../../src/services/effects.ts';
import type { Services } from '../../src/services/index.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { complete, defineWorker } from '../../workers/runtime/define-worker.ts';
import { toRegistrations } from '../../workers/runtime/registrations.ts';
import { eventually } from '../support/engine.ts';
import { testDatabaseAdminUrl, testStateDir } from '../support/ports.ts';

/**
 * QUALITY.md R2: kill -9 the Camunda JVM with instances in flight and start it again on the same
 * state. A dedicated engine (own ports, own state, own read-model database) so the shared test
 * engine is untouched.
 */
describe('fault: the engine is killed and restarted', () => {
  const log = createLogger('silent');
  const ports = { rest: 8095, grpc: 26620, management: 9620, internalBase: 26621 };
  const stateDir = `${testStateDir}/camunda-crash`;
  let options: LocalEngineOptions;
  let engineProcess: LocalEngine | undefined;
  let engine: EngineGateway;
  let db: DataSource;
  let workers: WorkerHost | undefined;
  const completions: number[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: testDatabaseAdminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS riskloop_engine_crash WITH (FORCE)`);
    await admin.query(`CREATE DATABASE riskloop_engine_crash`);
    await admin.end();
    const url = new URL(testDatabaseAdminUrl());
    url.pathname = '/riskloop_engine_crash';
    db = await openDatabase(url.toString(), 4);
    await rm(stateDir, { recursive: true, force: true });
    options = {
      version: process.env.CAMUNDA_VERSION ?? '8.6.0',
      cacheDir: process.env.CACHE_DIR ?? '.cache',
      stateDir,
      ports,
      clockControlled: false,
      readModel: { host: url.hostname, port: Number(url.port), database: 'riskloop_engine_crash', user: 'postgres', password: 'postgres' },
      log,
    };
    engineProcess = await startLocalEngine(options);
    engine = createEngineGateway({ restAddress: `http://127.0.0.1:${ports.rest}`, grpcAddress: `grpc://127.0.0.1:${ports.grpc}` }, log);
    await engine.deployXml('faults-effect-and-mail.bpmn', await readFile('tests/fixtures/bpmn/faults-effect-and-mail.bpmn', 'utf8'));
  });

  afterAll(async () => {
    await workers?.stop();
    await engine?.close();
    await engineProcess?.stop();
    await db?.destroy();
  });

  it('when the JVM is killed with instances in flight, then after restart every instance completes and each effect happened once', async () => {
    const keys = Array.from({ length: 50 }, (_, i) => `crash-${i}`);
    const instances = await Promise.all(keys.map((businessKey) => engine.startProcess('faults-effect-and-mail', { businessKey })));
    const slowEffect = defineWorker({
      type: 'fault-probe-effect',
      description: 'Records one effect per business key, slowly enough to be caught mid-flight.',
      input: z.object({ businessKey: z.string() }),
      maxJobsToActivate: 4,
      async handle(vars, ctx) {
        await runOnce(db, { jobType: ctx.job.type, businessKey: vars.businessKey, jobKey: ctx.job.key }, async () => {
          await new Promise((r) => setTimeout(r, 100));
          return { done: vars.businessKey };
        });
        completions.push(Date.now());
        return complete({});
      },
    });
    workers = startJobWorkers(engine, toRegistrations([slowEffect], { services: { db } as unknown as Services, log }), log);
    await eventually(async () => completions.length >= 10, 'ten jobs done before the crash');

    await engineProcess!.kill();
    const beforeRestart = completions.length;
    const restartAt = Date.now();
    engineProcess = await startLocalEngine(options);
    const readyAt = Date.now();
    await eventually(async () => completions.length > beforeRestart, 'the first job after the restart', 60_000);
    // Our readiness probe polls every 0.5 s, so the first job may even beat it (a negative figure).
    const firstJobAfterReadyMs = completions.find((t) => t >= restartAt)! - readyAt;

    await eventually(
      async () => {
        const [row] = await db.query(`SELECT count(*)::int AS n FROM engine_process_instance WHERE key = ANY($1) AND state = 'COMPLETED'`, [
          instances.map((i) => i.processInstanceKey),
        ]);
        return row.n === 50;
      },
      'all 50 instances to complete after the restart',
      90_000,
    );
    const [effects] = await db.query(`SELECT count(*)::int AS n, count(DISTINCT business_key)::int AS d FROM job_effect`);
    console.log(
      `R2: ${beforeRestart} jobs before the kill; engine ready ${readyAt - restartAt} ms after restart; first job ${firstJobAfterReadyMs} ms after ready; effects ${effects.n}`,
    );
    expect(effects).toEqual({ n: 50, d: 50 });
    // Worker back-off is capped at 5 s (src/engine/client.ts): the first job follows readiness within back-off + 10 s.
    expect(firstJobAfterReadyMs).toBeLessThan(15_000);
  });
});
