import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import type { EngineGateway } from '../../src/engine/client.ts';
import { startMailCatcher, type MailCatcher } from '../../src/mail/catcher.ts';
import { createMailDispatcher } from '../../src/mail/dispatcher.ts';
import { createSmtpTransport } from '../../src/mail/transport.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { uniqueSuffix } from '../support/database.ts';
import { eventually } from '../support/engine.ts';
import { startPrivateEngine, type PrivateEngine } from '../support/private-engine.ts';
import { testPorts } from '../support/ports.ts';

/** QUALITY.md R1: kill -9 a worker after its effect committed and before it completed the job. */
describe('fault: a worker process is killed in the middle of a handler', () => {
  const log = createLogger('silent');
  let priv: PrivateEngine;
  let db: DataSource;
  let engine: EngineGateway;
  let catcher: MailCatcher;
  const workers: ChildProcess[] = [];

  /** Spawns the fault worker as its own process; its pid is ours to kill and nobody else's. */
  async function spawnWorker(env: Record<string, string>): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['tests/support/fault-worker.ts'], {
      env: {
        ...process.env,
        TEST_DATABASE_URL: priv.databaseUrl,
        TEST_ENGINE_ADDRESS: priv.address.restAddress,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    workers.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`fault worker exited early (${code})`)));
    });
    return child;
  }

  beforeAll(async () => {
    // Its own engine: the shared one's clock may have been moved and reset by other tests, which defers job time-outs.
    priv = await startPrivateEngine('worker-crash', testPorts.privateEngineBase + 1);
    ({ db, engine } = priv);
    await engine.deployXml('faults-effect-and-mail.bpmn', await readFile('tests/fixtures/bpmn/faults-effect-and-mail.bpmn', 'utf8'));
    catcher = await startMailCatcher(0);
  });

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGTERM');
    await catcher?.stop();
    await priv?.stop();
  });

  it('when 50 instances run and the worker dies after an effect, then all complete with 0 duplicate effects and 0 duplicate mails', async () => {
    const tag = uniqueSuffix();
    const keys = Array.from({ length: 50 }, (_, i) => `${tag}-${i}`);
    const instances = await Promise.all(keys.map((businessKey) => engine.startProcess('faults-effect-and-mail', { businessKey })));

    const crashing = await spawnWorker({ CRASH_ON_JOB: '5' });
    const signal = await new Promise((r) => crashing.once('exit', (_code, sig) => r(sig)));
    expect(signal).toBe('SIGKILL');
    const effectsAtCrash = Number((await db.query(`SELECT count(*) FROM job_effect WHERE business_key LIKE $1`, [`${tag}-%`]))[0].count);
    expect(effectsAtCrash).toBeGreaterThanOrEqual(5);

    // The dead worker's activated jobs stay locked until their 5 s job timeout, then go to the new worker.
    await spawnWorker({});
    const completed = await eventually(
      async () => {
        const [row] = await db.query(`SELECT count(*)::int AS n FROM engine_process_instance WHERE key = ANY($1) AND state = 'COMPLETED'`, [
          instances.map((i) => i.processInstanceKey),
        ]);
        return row.n === 50 ? row.n : undefined;
      },
      'all 50 instances to complete',
      60_000,
    );
    expect(completed).toBe(50);

    const [effects] = await db.query(`SELECT count(*)::int AS n, count(DISTINCT business_key)::int AS d FROM job_effect WHERE business_key LIKE $1`, [`${tag}-%`]);
    const [outbox] = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE dedup_key LIKE $1`, [`fault:${tag}-%`]);
    await createMailDispatcher(db, createSmtpTransport(`smtp://127.0.0.1:${catcher.port}`), log, { from: 'test@example.gov' }).drain();
    const mails = catcher.received().filter((m) => m.subject?.includes(tag));
    const distinctMails = new Set(mails.map((m) => m.subject));
    console.log(`R1 counts: effects=${effects.n} (distinct ${effects.d}), outbox=${outbox.n}, mails=${mails.length} (distinct ${distinctMails.size})`);
    expect(effects).toEqual({ n: 50, d: 50 });
    expect(outbox.n).toBe(50);
    expect(mails).toHaveLength(50);
    expect(distinctMails.size).toBe(50);
  });
});
