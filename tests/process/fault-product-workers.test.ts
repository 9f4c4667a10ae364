import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineAddress } from '../../src/engine/client.ts';
import { LOCK_MS } from '../../src/engine/worker-host.ts';
import { startMailCatcher, type MailCatcher } from '../../src/mail/catcher.ts';
import { ensureCountyData } from '../support/case-data.ts';
import { eventually } from '../support/engine.ts';
import { startEngineProxy, type EngineProxy } from '../support/engine-proxy.ts';
import { startPrivateEngine, type PrivateEngine } from '../support/private-engine.ts';
import { TEST_DATABASE_APP_PASSWORD } from '../support/database.ts';
import { testPorts } from '../support/ports.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { workflowActors } from '../support/workflow.ts';

/**
 * Issue 16 §8, QUALITY.md R1/R2 on the product itself: the production worker process
 * (`src/main/workers.ts`, every worker and the mail dispatcher) serves a half-year round's risk
 * notices and is killed twice at the worst moment — once after numbering a 风险提示函's 文号, once
 * after laying out, storing and enqueueing the mail of one — each time with its effect committed
 * and its completion held back from the engine by a proxy (tests/support/engine-proxy.ts). Then
 * the engine itself is killed while a third worker process delivers the rest, and restarted on
 * the same state. The engine clock is moved past the dead workers' locks, never slept for.
 * Afterwards every notice has exactly one 文号 (consecutive, no gap), one document, one mail
 * that arrived, one open opinion task, and the engine has no incident.
 */
describe('fault: the product’s workers and the engine are killed while a round issues its notices', () => {
  let priv: PrivateEngine;
  let system: TestSystem;
  let proxy: EngineProxy;
  let catcher: MailCatcher;
  const children: ChildProcess[] = [];
  const { as, openTask, complete } = workflowActors(() => system);
  const roundId = 'F-2025-H1';

  /** The production worker process, as `docker compose` runs it, pointed at `engine`. */
  async function spawnWorkers(engine: EngineAddress): Promise<ChildProcess> {
    const child = spawn(process.execPath, [path.resolve('src/main/workers.ts')], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: priv.databaseUrl,
        DATABASE_APP_PASSWORD: TEST_DATABASE_APP_PASSWORD,
        ENGINE_REST_ADDRESS: engine.restAddress,
        SMTP_URL: `smtp://127.0.0.1:${catcher.port}`,
        LOOP_CALENDAR_ENABLED: 'false',
        PERSONAL_DATA_HMAC_KEY: 'fault-test-hmac-key-not-a-secret',
        ENGINE_SERVICE_PASSWORD: engine.credentials.password,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        for (const line of d.toString().split('\n')) {
          if (line.includes('"msg":"workers ready"')) resolve();
          // Warnings and errors of the worker process stay visible in the test's output.
          else if (/"level":(40|50|60)/.test(line)) process.stderr.write(`[workers ${child.pid}] ${line}\n`);
        }
      });
      child.once('exit', (code, signal) => reject(new Error(`worker process exited early (${code ?? signal})`)));
    });
    return child;
  }

  async function kill(child: ChildProcess): Promise<void> {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** The engine's clock, moved `ms` ahead of real time: the locks of a killed worker lapse. */
  const clockAhead = (ms: number) => priv.engine.pinClock(new Date(Date.now() + ms));

  beforeAll(async () => {
    priv = await startPrivateEngine('product-faults', testPorts.privateEngineBase + 2, { clockControlled: true });
    system = await startTestSystem({ withEngine: true, engineAddress: priv.address, databaseUrl: priv.databaseUrl });
    await ensureCountyData(system.services.db);
    await system.engine.deployProcesses(path.resolve('bpmn'), ['assessment-round', 'risk-notice', 'supervision-item']);
    proxy = await startEngineProxy(priv.address);
    catcher = await startMailCatcher(0);
  });

  afterAll(async () => {
    await Promise.all(children.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => new Promise((r) => (c.once('exit', r), c.kill('SIGTERM')))));
    await proxy?.stop();
    await catcher?.stop();
    await system?.stop();
    await priv?.stop();
  });

  it('when a worker dies after numbering, another after delivering, and the engine mid-run, then each notice has one 文号, one document and one mail', async () => {
    const { db } = system.services;
    const noticeOf = async (processInstanceId: string) =>
      (await db.query<{ number: string | null; document_id: string | null }[]>(`SELECT number, document_id FROM risk_notice WHERE process_instance_key = $1`, [processInstanceId]))[0];
    const delivered = async () => (await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM risk_notice WHERE round_id = $1 AND document_id IS NOT NULL`, [roundId]))[0]!.n;

    // Worker process A numbers the first notice; its completion never reaches the engine, and A dies.
    const workersA = await spawnWorkers(proxy.address);
    const numbered = proxy.holdCompletion('issue-risk-notice');
    await system.engine.publishMessage({
      name: 'start-assessment-round',
      correlationKey: roundId,
      messageId: roundId,
      timeToLiveMs: 0,
      variables: { roundId, roundKind: 'half_year', year: 2025, periodStart: '2025-01-01', periodEnd: '2025-06-30' },
    });
    const roundKey = await eventually(
      async () => (await db.query<{ process_instance_key: string | null }[]>(`SELECT process_instance_key FROM assessment_round WHERE id = $1`, [roundId]))[0]?.process_instance_key,
      'the round to compute its indicators',
      90_000,
    );
    await complete(await as('court_analyst', 'court'), await openTask(roundKey, 'courtReview'), { courtDecision: 'submit', courtNotes: '数据已核对' });
    await complete(await as('leader', 'zfw'), await openTask(roundKey, 'leaderApproval'), { leaderDecision: 'approve', leaderComments: '同意发出风险提示函' });
    const heldNumbering = await numbered;
    const numberAtKill = (await noticeOf(heldNumbering.processInstanceId))?.number;
    expect(numberAtKill, 'the 文号 was committed before the completion was sent').toMatch(/^唐法风〔\d{4}〕\d+号$/);
    await kill(workersA);

    // Worker process B takes over once A's locks lapse, lays out and mails a notice, and dies before the engine hears of it.
    const deliveredOnce = proxy.holdCompletion('deliver-risk-notice');
    const workersB = await spawnWorkers(proxy.address);
    await clockAhead(LOCK_MS + 40_000);
    const heldDelivery = await deliveredOnce;
    expect((await noticeOf(heldDelivery.processInstanceId))?.document_id, 'the document was stored before the completion was sent').toBeTruthy();
    await kill(workersB);

    // Worker process C talks to the engine directly; the engine is killed as soon as C has delivered one more notice.
    const deliveredAtB = await delivered();
    await spawnWorkers(priv.address);
    await clockAhead(2 * (LOCK_MS + 40_000));
    await eventually(async () => (await delivered()) > deliveredAtB || undefined, 'worker process C to deliver a notice', 90_000);
    const deliveredAtEngineKill = await delivered();
    await priv.process.kill();
    await priv.restart();
    // The restarted engine has lost the clock's offset: set it again, past every lock taken before the kill.
    await clockAhead(3 * (LOCK_MS + 40_000));

    const [approval] = await db.query<{ after: { recipients: string[] } }[]>(`SELECT after FROM audit_log WHERE action = 'assessment_round.approve' AND entity_id = $1`, [roundId]);
    const expected = approval!.after.recipients.length;
    const notices = await eventually(
      async () => {
        const rows = await db.query<{ department_id: string; number: string | null; document_id: string | null; process_instance_key: string }[]>(
          `SELECT department_id, number, document_id, process_instance_key FROM risk_notice WHERE round_id = $1 ORDER BY number`,
          [roundId],
        );
        const [{ pending }] = await db.query(`SELECT count(*)::int AS pending FROM outbox WHERE dedup_key LIKE $1 AND status <> 'sent'`, [`document:risk-notice:${roundId}:%`]);
        return rows.length === expected && rows.every((r) => r.number && r.document_id) && pending === 0 ? rows : undefined;
      },
      'every notice numbered, laid out and mailed',
      120_000,
    );
    console.log(
      `product faults: ${expected} notices; worker A killed holding ${numberAtKill}; B killed after delivering one; engine killed with ${deliveredAtEngineKill} of ${expected} delivered`,
    );

    // One 文号 each, consecutive from 1: a replayed numbering neither skipped nor repeated one.
    const serials = notices.map((n) => Number(/〔\d{4}〕(\d+)号$/.exec(n.number!)![1])).sort((a, b) => a - b);
    expect(serials).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
    expect(notices.map((n) => n.number)).toContain(numberAtKill);
    // One document per notice, carrying its 文号; one ledger row per effect.
    const documents = await db.query<{ number: string }[]>(`SELECT number FROM document WHERE number = ANY($1)`, [notices.map((n) => n.number)]);
    expect(documents.map((d) => d.number).sort()).toEqual(notices.map((n) => n.number).sort());
    const effects = await db.query<{ job_type: string; n: number }[]>(
      `SELECT job_type, count(*)::int AS n FROM job_effect WHERE job_type IN ('issue-risk-notice', 'deliver-risk-notice') GROUP BY job_type ORDER BY job_type`,
    );
    expect(effects).toEqual([
      { job_type: 'deliver-risk-notice', n: expected },
      { job_type: 'issue-risk-notice', n: expected },
    ]);
    // One mail per notice in the outbox; each arrived, and a repeat (a dispatcher killed between SMTP's accept and "sent") carries the same Message-ID.
    const outbox = await db.query<{ message_id: string }[]>(`SELECT message_id FROM outbox WHERE dedup_key LIKE $1`, [`document:risk-notice:${roundId}:%`]);
    expect(outbox).toHaveLength(expected);
    const arrived = catcher.received().map((m) => m.messageId);
    expect(new Set(arrived.filter((id) => outbox.some((o) => o.message_id === id))).size).toBe(expected);
    expect(arrived.every((id) => outbox.some((o) => o.message_id === id))).toBe(true);

    // In the engine: one notice instance per department, each waiting for the department's opinion once; no incident.
    const waiting = await db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM engine_user_task WHERE element_id = 'submitOpinion' AND state = 'CREATED' AND process_instance_key = ANY($1)`,
      [notices.map((n) => n.process_instance_key)],
    );
    expect(waiting[0]!.n).toBe(expected);
    expect(await db.query(`SELECT 1 FROM engine_incident WHERE state = 'ACTIVE'`)).toHaveLength(0);
  });
});
