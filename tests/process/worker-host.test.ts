import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEngineGateway, type EngineGateway } from '../../src/engine/client.ts';
import { startJobWorkers, type WorkerHost } from '../../src/engine/worker-host.ts';
import type { Services } from '../../src/services/index.ts';
import { PermanentError } from '../../src/shared/errors.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { complete, defineWorker } from '../../workers/runtime/define-worker.ts';
import { toRegistrations } from '../../workers/runtime/registrations.ts';
import { openTestDatabase, uniqueSuffix } from '../support/database.ts';
import { eventually, testEngineAddress } from '../support/engine.ts';
import type { DataSource } from 'typeorm';

/**
 * The external-task worker host on the real engine: a handler that outlives its lock keeps the
 * task (the lock is extended), a stopped worker hands its tasks back at once instead of holding
 * them for the lock, and a permanent failure becomes an incident with its reason.
 */
describe('worker host: locks, shutdown, incidents', () => {
  const log = createLogger('silent');
  let engine: EngineGateway;
  let db: DataSource;
  const hosts: WorkerHost[] = [];

  beforeAll(async () => {
    db = await openTestDatabase();
    engine = createEngineGateway(testEngineAddress(), log);
    await engine.deployXml('worker-host-probe.bpmn', await readFile('tests/fixtures/bpmn/worker-host-probe.bpmn', 'utf8'));
  });
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    await db?.destroy();
  });

  /** A worker of `topic` that keeps one task in flight. */
  const probe = (topic: string, handle: () => Promise<unknown>, timeoutMs: number) =>
    defineWorker({
      type: topic,
      description: 'worker host probe',
      input: z.object({}).passthrough(),
      timeoutMs,
      maxJobsToActivate: 1,
      async handle() {
        await handle();
        return complete({});
      },
    });
  const hostOf = (workers: ReturnType<typeof probe>[], o: { stopGraceMs?: number; lockMs?: number } = {}) => {
    const h = startJobWorkers(engine, toRegistrations(workers, { services: { db } as unknown as Services, log }), log, undefined, o);
    hosts.push(h);
    return h;
  };
  const host = (topic: string, handle: () => Promise<unknown>, o: { timeoutMs: number; stopGraceMs?: number; lockMs?: number }) =>
    hostOf([probe(topic, handle, o.timeoutMs)], { stopGraceMs: o.stopGraceMs, lockMs: o.lockMs });
  const finished = async (instance: string) =>
    (await db.query<{ state: string }[]>(`SELECT state FROM engine_process_instance WHERE key = $1`, [instance]))[0]?.state === 'COMPLETED';

  it('when a handler runs three times its lock, then the lock is extended and the task is handled once', async () => {
    const topic = `probe-long-${uniqueSuffix()}`;
    let calls = 0;
    let taken!: () => void;
    const took = new Promise<void>((r) => (taken = r));
    // A 2 s lock, a 6 s handler: without extension the lock would lapse and the second worker,
    // polling the same topic all along, would take the task.
    host(topic, async () => {
      calls++;
      taken();
      await new Promise((r) => setTimeout(r, 6000));
    }, { timeoutMs: 30_000, lockMs: 2000 });
    const { processInstanceKey } = await engine.startProcess('worker-host-probe', { topic });
    await took;
    host(topic, async () => {
      calls++;
    }, { timeoutMs: 30_000, lockMs: 2000 });
    await eventually(() => finished(processInstanceKey), 'the long task to complete', 30_000);
    expect(calls).toBe(1);
  });

  it('when a worker is stopped while a handler hangs, then its task is handed back and another worker completes it before the lock would lapse', async () => {
    const topic = `probe-stop-${uniqueSuffix()}`;
    let taken!: () => void;
    const took = new Promise<void>((r) => (taken = r));
    // 60 s lock: a worker that did not unlock would hold the task for a minute.
    const stuck = host(topic, async () => {
      taken();
      await new Promise(() => undefined);
    }, { timeoutMs: 60_000, stopGraceMs: 500 });
    const { processInstanceKey } = await engine.startProcess('worker-host-probe', { topic });
    await took;
    const stoppedAt = Date.now();
    await stuck.stop();
    host(topic, async () => undefined, { timeoutMs: 60_000 });
    await eventually(() => finished(processInstanceKey), 'another worker to complete the handed-back task', 20_000);
    const seconds = (Date.now() - stoppedAt) / 1000;
    console.log(`worker host: task completed by another worker ${seconds.toFixed(1)} s after the first was stopped (lock 60 s)`);
    expect(seconds).toBeLessThan(15);
  });

  it('when a topic is at its limit and its job finishes, then its next task is taken at once, not when the poll for the other topics runs out', async () => {
    const busy = `probe-busy-${uniqueSuffix()}`;
    const starts: number[] = [];
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let tookFirst!: () => void;
    const first = new Promise<void>((r) => (tookFirst = r));
    // Two topics in one host, as in production: while `busy` has its one task in flight, the host
    // polls for the other topic only.
    hostOf([
      probe(busy, async () => {
        starts.push(Date.now());
        if (starts.length === 1) {
          tookFirst();
          await released;
        }
      }, 30_000),
      probe(`probe-idle-${uniqueSuffix()}`, async () => undefined, 30_000),
    ]);
    await engine.startProcess('worker-host-probe', { topic: busy });
    await first;
    const second = await engine.startProcess('worker-host-probe', { topic: busy });
    const freedAt = Date.now();
    release();
    await eventually(() => finished(second.processInstanceKey), 'the second task to complete', 30_000);
    // Waiting out the other topic's long poll (LONG_POLL_MS, 5 s) took the second task about five
    // seconds after the slot was free; a poll while a topic is full lasts SATURATED_POLL_MS (0.25 s).
    expect(starts).toHaveLength(2);
    expect(starts[1]! - freedAt).toBeLessThan(2000);
  });

  it('when a handler fails permanently, then an incident with its reason stands on the task', async () => {
    const topic = `probe-incident-${uniqueSuffix()}`;
    host(topic, async () => {
      throw new PermanentError('模板缺失：无法生成文书');
    }, { timeoutMs: 10_000 });
    const { processInstanceKey } = await engine.startProcess('worker-host-probe', { topic });
    const incident = await eventually(
      async () =>
        (
          await db.query<{ element_id: string; error_type: string; error_message: string }[]>(
            `SELECT element_id, error_type, error_message FROM engine_incident WHERE process_instance_key = $1 AND state = 'ACTIVE'`,
            [processInstanceKey],
          )
        )[0],
      'the incident',
    );
    expect(incident).toEqual({ element_id: 'work', error_type: 'failedExternalTask', error_message: '模板缺失：无法生成文书' });
    expect(await finished(processInstanceKey)).toBe(false);
  });
});
