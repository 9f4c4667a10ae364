import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startJobWorkers, type WorkerHost } from '../../src/engine/worker-host.ts';
import { runOnce } from '../../src/services/effects.ts';
import type { Services } from '../../src/services/index.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { complete, defineWorker } from '../../workers/runtime/define-worker.ts';
import { toRegistrations } from '../../workers/runtime/registrations.ts';
import { eventually } from '../support/engine.ts';
import { startPrivateEngine, type PrivateEngine } from '../support/private-engine.ts';
import { testPorts } from '../support/ports.ts';

/**
 * QUALITY.md R2: kill -9 the Camunda JVM with instances in flight and start it again on the same
 * state. A dedicated engine (own ports, own state, own read-model database) so the shared test
 * engine is untouched.
 */
describe('fault: the engine is killed and restarted', () => {
  const log = createLogger('silent');
  let priv: PrivateEngine;
  let workers: WorkerHost | undefined;
  const completions: number[] = [];

  beforeAll(async () => {
    priv = await startPrivateEngine('engine-crash', testPorts.privateEngineBase);
    await priv.engine.deployXml('faults-effect-and-mail.bpmn', await readFile('tests/fixtures/bpmn/faults-effect-and-mail.bpmn', 'utf8'));
  });

  afterAll(async () => {
    await workers?.stop();
    await priv?.stop();
  });

  it('when the JVM is killed with instances in flight, then after restart every instance completes and each effect happened once', async () => {
    const { db, engine } = priv;
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

    await priv.process.kill();
    const beforeRestart = completions.length;
    const restartAt = Date.now();
    await priv.restart();
    const readyAt = Date.now();
    // A handler caught by the kill may finish its effect while the engine is down (its completion then
    // fails and the job comes back); count the first job handled once the engine is ready again.
    await eventually(async () => completions.some((t) => t >= readyAt), 'the first job after the restart', 60_000);
    const firstJobAfterReadyMs = completions.find((t) => t >= readyAt)! - readyAt;

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
      `R2: ${beforeRestart} jobs before the kill; engine ready ${readyAt - restartAt} ms after restart; first job handled ${firstJobAfterReadyMs} ms after ready; effects ${effects.n}`,
    );
    expect(effects).toEqual({ n: 50, d: 50 });
    // Worker back-off is capped at 5 s (src/engine/client.ts): the first job follows readiness within back-off + 10 s.
    expect(firstJobAfterReadyMs).toBeLessThan(15_000);
  });
});
