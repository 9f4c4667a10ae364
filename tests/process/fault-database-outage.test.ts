import { readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.ts';
import type { EngineGateway } from '../../src/engine/client.ts';
import { startJobWorkers, type WorkerHost } from '../../src/engine/worker-host.ts';
import { runOnce } from '../../src/services/effects.ts';
import type { Services } from '../../src/services/index.ts';
import { enqueueMail } from '../../src/services/outbox.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { complete, defineWorker } from '../../workers/runtime/define-worker.ts';
import { toRegistrations } from '../../workers/runtime/registrations.ts';
import { uniqueSuffix } from '../support/database.ts';
import { eventually } from '../support/engine.ts';
import { startPrivateEngine, type PrivateEngine } from '../support/private-engine.ts';
import { testPorts, testStateDir } from '../support/ports.ts';

/**
 * QUALITY.md R5: the workers' PostgreSQL is down for 30 s under load. A dedicated server holds
 * the effects; the private engine keeps its state (and the views used to watch progress) in
 * another, which stays up.
 */
describe('fault: PostgreSQL is unavailable for 30 s', () => {
  const log = createLogger('silent');
  const dir = `${testStateDir}/pg-outage`;
  let pg: EmbeddedDatabase;
  let effects: DataSource;
  let readModel: DataSource;
  let engine: EngineGateway;
  let priv: PrivateEngine;
  let workers: WorkerHost | undefined;
  const attempts = new Map<string, number>();

  beforeAll(async () => {
    await rm(dir, { recursive: true, force: true });
    pg = await startEmbeddedPostgres(dir, 54351, log);
    effects = await openDatabase(pg.url, 4);
    // Its own engine: retry back-offs are engine timers, and other tests move the shared engine's clock.
    priv = await startPrivateEngine('db-outage', testPorts.privateEngineBase + 2);
    ({ db: readModel, engine } = priv);
    await engine.deployXml('faults-effect-and-mail.bpmn', await readFile('tests/fixtures/bpmn/faults-effect-and-mail.bpmn', 'utf8'));
  });
  afterAll(async () => {
    await workers?.stop();
    await priv?.stop();
    await effects?.destroy().catch(() => undefined);
    await pg?.stop();
  });

  it('when the database comes back, then every instance completes by itself, each effect once, no incident', async () => {
    const tag = uniqueSuffix();
    const keys = Array.from({ length: 30 }, (_, i) => `${tag}-${i}`);
    const worker = defineWorker({
      type: 'fault-probe-effect',
      description: 'Effect and mail in one transaction on the database that will go away.',
      input: z.object({ businessKey: z.string() }),
      maxJobsToActivate: 4,
      async handle(vars, ctx) {
        attempts.set(vars.businessKey, (attempts.get(vars.businessKey) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 200));
        await runOnce(effects, { jobType: ctx.job.type, businessKey: vars.businessKey, jobKey: ctx.job.key }, (tx) =>
          enqueueMail(tx, { dedupKey: `outage:${vars.businessKey}`, to: ['pab@tanghe.gov.example'], subject: `故障 ${vars.businessKey}`, body: '测试' }),
        );
        return complete({});
      },
    });
    workers = startJobWorkers(engine, toRegistrations([worker], { services: { db: effects } as unknown as Services, log }), log);
    const instances = await Promise.all(keys.map((businessKey) => engine.startProcess('faults-effect-and-mail', { businessKey })));
    const piKeys = instances.map((i) => i.processInstanceKey);
    const completedCount = async () =>
      (await readModel.query(`SELECT count(*)::int AS n FROM engine_process_instance WHERE key = ANY($1) AND state = 'COMPLETED'`, [piKeys]))[0].n as number;

    await eventually(async () => (await completedCount()) >= 3, 'a few instances before the outage');
    await pg.stop();
    const completedAtOutage = await completedCount();
    await new Promise((r) => setTimeout(r, 30_000)); // the outage itself is wall-clock time
    const completedDuringOutage = (await completedCount()) - completedAtOutage;
    pg = await startEmbeddedPostgres(dir, 54351, log);

    await eventually(async () => (await completedCount()) === 30, 'all instances after the database returned', 120_000);
    const [row] = await effects.query(`SELECT count(*)::int AS n, count(DISTINCT business_key)::int AS d FROM job_effect`);
    const [mails] = await effects.query(`SELECT count(*)::int AS n FROM outbox`);
    const incidents = await readModel.query(`SELECT 1 FROM engine_incident WHERE process_instance_key = ANY($1)`, [piKeys]);
    const retried = [...attempts.values()].filter((n) => n > 1).length;
    console.log(
      `R5: completed before outage ${completedAtOutage}, during ${completedDuringOutage}; effects ${row.n}; outbox ${mails.n}; retried jobs ${retried}; incidents ${incidents.length}`,
    );
    // A job still in its handler when the database went away may finish during the outage; no other may.
    expect(completedDuringOutage).toBeLessThanOrEqual(4);
    expect(row).toEqual({ n: 30, d: 30 });
    expect(mails.n).toBe(30);
    expect(retried).toBeGreaterThan(0);
    expect(incidents).toHaveLength(0);
  });
});
