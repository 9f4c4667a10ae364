import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup } from '../../src/backup/backup.ts';
import { BackupRefused } from '../../src/backup/manifest.ts';
import { restoreBackup } from '../../src/backup/restore.ts';
import { startMailCatcher, type MailCatcher } from '../../src/mail/catcher.ts';
import { createMailDispatcher, type MailDispatcher } from '../../src/mail/dispatcher.ts';
import { createSmtpTransport } from '../../src/mail/transport.ts';
import { systemActor } from '../../src/services/actor.ts';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { stateSecretFile } from '../../src/shared/state-files.ts';
import { workerDefinitions } from '../../workers/registry.ts';
import { freshTestDatabase, uniqueSuffix } from '../support/database.ts';
import { eventually } from '../support/engine.ts';
import { testPorts, testStateDir } from '../support/ports.ts';
import { startPrivateEngine, type PrivateEngine } from '../support/private-engine.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { workflowActors } from '../support/workflow.ts';

/**
 * Issue 20 §8: `npm run backup` of a running system mid-loop, restored into a fresh database, a
 * fresh engine and an empty state folder, and the loop goes on. A supervision item is opened (its
 * 督办事项通知书 generated, stored and mailed) and waits for 签收 with its 签收到期 timer pending;
 * the backup is taken while the engine, every worker and the mail dispatcher run. Everything is
 * stopped, the backup restored elsewhere, the app and workers started on it, and the restored
 * engine's clock moved past the timer (never slept for): the timer fires there, its reminder mail
 * is the only new mail, and the notice mailed before the backup is not sent again.
 */
describe('backup and restore', () => {
  const log = createLogger('silent');
  const sourceState = `${testStateDir}/backup-source-state`;
  const targetState = `${testStateDir}/backup-target-state`;
  const archive = path.resolve(`${testStateDir}/backup-restore.tar.gz`);
  let source: PrivateEngine | undefined;
  let target: PrivateEngine | undefined;
  let system: TestSystem | undefined;
  let catcher: MailCatcher;
  let dispatcher: MailDispatcher | undefined;
  const { as, openTask, complete } = workflowActors(() => system!);

  /** The app and all its workers on an engine and its database, mailing to the one catcher. */
  async function startApp(engine: PrivateEngine): Promise<TestSystem> {
    const started = await startTestSystem({ withEngine: true, engineAddress: engine.address, databaseUrl: engine.databaseUrl, env: { LOOP_CALENDAR_ENABLED: 'false' } });
    started.startWorkers(workerDefinitions);
    dispatcher = createMailDispatcher(started.services.db, createSmtpTransport(`smtp://127.0.0.1:${catcher.port}`), log, { from: 'pab@tanghe.gov.example', intervalMs: 200 });
    dispatcher.start();
    return started;
  }

  async function stopApp(): Promise<void> {
    await dispatcher?.stop();
    dispatcher = undefined;
    await system?.stop();
    system = undefined;
  }

  /** Rows of every table of the app's and the engine's schemas, counted in `client`'s transaction. */
  async function countAll(client: pg.ClientBase): Promise<Record<string, number>> {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('public', 'operaton') AND c.relkind = 'r' ORDER BY 1`,
    );
    const counts: Record<string, number> = {};
    for (const t of tables) counts[t.name] = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t.name}`)).rows[0]!.n;
    return counts;
  }

  async function documentHashes(db: { query: TestSystem['services']['db']['query'] }): Promise<Record<string, { docx: string; pdf: string; docxStored: string; pdfStored: string }>> {
    const rows = await db.query<{ id: string; docx: Buffer; pdf: Buffer; docx_sha256: string; pdf_sha256: string }[]>(`SELECT id, docx, pdf, docx_sha256, pdf_sha256 FROM document ORDER BY id`);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    return Object.fromEntries(rows.map((r) => [r.id, { docx: sha(r.docx), pdf: sha(r.pdf), docxStored: r.docx_sha256, pdfStored: r.pdf_sha256 }]));
  }

  beforeAll(async () => {
    await rm(sourceState, { recursive: true, force: true });
    await rm(targetState, { recursive: true, force: true });
    await rm(archive, { force: true });
    await rm(`${targetState}-damaged`, { recursive: true, force: true });
    catcher = await startMailCatcher(0);
    source = await startPrivateEngine('backup-source', testPorts.privateEngineBase + 6, { clockControlled: true });
    system = await startApp(source);
    await system.engine.deployProcesses(path.resolve('bpmn'), ['supervision-item']);
    // The secrets a start generates into the state folder.
    for (const name of ['session-secret', 'personal-data-hmac-key', 'engine-admin-password']) await stateSecretFile(sourceState, name);
  });

  afterAll(async () => {
    await stopApp();
    await source?.stop();
    await target?.stop();
    await catcher?.stop();
  });

  it('when a running system is backed up mid-loop and restored into a fresh database and engine, then records, documents, tasks and secrets are back, the pending timer fires and no mail goes out twice', async () => {
    const db = system!.services.db;
    // A supervision item, as an accepted measure registers it, with its process started.
    const businessKey = `backup:${uniqueSuffix()}`;
    const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const item = await system!.services.supervision.register(systemActor, {
      businessKey,
      title: '整治建筑领域欠薪问题',
      sourceKind: 'meeting',
      sourceId: `M-${uniqueSuffix()}`,
      leadDepartmentId: 'rsj',
      coDepartmentIds: ['zjj'],
      requirements: '整治建筑领域欠薪问题，按期报送办理结果。',
      deadline,
    });
    await system!.engine.publishMessage({ name: 'start-supervision-item', correlationKey: businessKey, messageId: businessKey, timeToLiveMs: 0, variables: { itemKey: businessKey, itemId: item.id } });
    const instance = await eventually(
      async () => (await db.query<{ process_instance_key: string | null }[]>(`SELECT process_instance_key FROM supervision_item WHERE id = $1`, [item.id]))[0]?.process_instance_key,
      'the item to be opened',
    );
    const signTask = await openTask(instance, 'sign');
    // The 督办事项通知书 is mailed before the backup.
    await eventually(async () => catcher.received().length === 1 || undefined, 'the notice mail to arrive');
    await eventually(
      async () => (await db.query(`SELECT 1 FROM outbox WHERE dedup_key = $1 AND status = 'sent'`, [`document:supervision-notice:${item.id}`])).length === 1 || undefined,
      'the notice to be marked sent',
    );
    const noticeMail = catcher.received()[0]!;
    const variablesBefore = await system!.engine.taskVariables(signTask);
    const signDueDate = variablesBefore.signDueDate as string;
    expect(Date.parse(signDueDate)).toBeGreaterThan(Date.now());
    const documentsBefore = await documentHashes(db);
    expect(Object.keys(documentsBefore)).toHaveLength(1);
    const [itemBefore] = await db.query(`SELECT * FROM supervision_item WHERE id = $1`, [item.id]);

    // The backup, taken while the engine, the workers and the dispatcher run, from a snapshot this test counts too.
    const counter = new pg.Client({ connectionString: source!.databaseUrl });
    await counter.connect();
    await counter.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows: exported } = await counter.query<{ id: string }>(`SELECT pg_export_snapshot() AS id`);
    const backup = await createBackup({ databaseUrl: source!.databaseUrl, stateDir: sourceState, file: archive, snapshot: exported[0]!.id });
    const countsAtBackup = await countAll(counter);
    await counter.query('COMMIT');
    await counter.end();
    expect(Object.fromEntries(backup.manifest.tables.map((t) => [`${t.schema}.${t.name}`, t.rows]))).toEqual(countsAtBackup);
    expect(countsAtBackup['public.audit_log']).toBeGreaterThan(0);
    expect(countsAtBackup['operaton.act_ru_job']).toBeGreaterThan(0);
    expect(backup.manifest.secrets.map((s) => s.name)).toEqual(['engine-admin-password', 'personal-data-hmac-key', 'session-secret']);

    // Everything stops; the backup goes into a fresh database and an empty state folder.
    await stopApp();
    await source!.stop();
    source = undefined;
    const targetUrl = await freshTestDatabase('backup-target');
    const restored = await restoreBackup({ databaseUrl: targetUrl, stateDir: targetState, file: archive });
    expect(restored.secretsWritten).toEqual(['engine-admin-password', 'personal-data-hmac-key', 'session-secret']);
    for (const name of await readdir(path.join(sourceState, 'secrets'))) {
      expect(await readFile(path.join(targetState, 'secrets', name)), name).toEqual(await readFile(path.join(sourceState, 'secrets', name)));
    }
    const check = new pg.Client({ connectionString: targetUrl });
    await check.connect();
    try {
      expect(await countAll(check)).toEqual(countsAtBackup);
    } finally {
      await check.end();
    }
    // A damaged file (cut in the middle) restores nothing: the database stays empty, no secret is left behind.
    const truncated = `${archive}.cut`;
    const whole = await readFile(archive);
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const damagedUrl = await freshTestDatabase('backup-damaged');
    await expect(restoreBackup({ databaseUrl: damagedUrl, stateDir: `${targetState}-damaged`, file: truncated })).rejects.toThrow(/^备份文件已损坏或不完整/);
    const damaged = new pg.Client({ connectionString: damagedUrl });
    await damaged.connect();
    try {
      const { rows } = await damaged.query(`SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'operaton')`);
      expect(rows[0].n).toBe(0);
    } finally {
      await damaged.end();
    }
    expect(existsSync(path.join(`${targetState}-damaged`, 'secrets', 'session-secret'))).toBe(false);
    // A second restore into the now filled database is refused before it writes anything.
    await expect(restoreBackup({ databaseUrl: targetUrl, stateDir: `${targetState}-2`, file: archive })).rejects.toThrow(BackupRefused);
    await expect(restoreBackup({ databaseUrl: targetUrl, stateDir: `${targetState}-2`, file: archive })).rejects.toThrow(/目标数据库不是空的/);

    // A fresh engine and the app with its workers on the restored database: the loop goes on.
    target = await startPrivateEngine('backup-target', testPorts.privateEngineBase + 7, { clockControlled: true, databaseUrl: targetUrl });
    system = await startApp(target);
    const rdb = system.services.db;
    expect(await waitForOpenTask(rdb, instance, 'sign')).toBe(signTask);
    expect(await system.engine.taskVariables(signTask)).toEqual(variablesBefore);
    expect(await documentHashes(rdb)).toEqual(documentsBefore);
    for (const d of Object.values(documentsBefore)) expect([d.docx, d.pdf]).toEqual([d.docxStored, d.pdfStored]);
    expect((await rdb.query(`SELECT * FROM supervision_item WHERE id = $1`, [item.id]))[0]).toEqual(itemBefore);
    // The restored engine runs on real time, before the timer: it has not fired.
    expect(await rdb.query(`SELECT 1 FROM escalation_event WHERE item_id = $1`, [item.id])).toHaveLength(0);
    expect(catcher.received()).toHaveLength(1);

    // The clock past 签收到期: the timer that was pending at the backup fires on the restored engine.
    await system.engine.pinClock(new Date(Date.parse(signDueDate) + 60_000));
    await eventually(async () => catcher.received().length === 2 || undefined, 'the sign reminder mail', 60_000);
    const reminder = catcher.received()[1]!;
    expect(reminder.subject).toContain('签收');
    expect(reminder.messageId).not.toBe(noticeMail.messageId);
    // The catcher has the mail before the dispatcher commits the row as sent: wait for that commit.
    const outbox = await eventually(async () => {
      const rows = await rdb.query<{ dedup_key: string; status: string; attempts: number }[]>(`SELECT dedup_key, status, attempts FROM outbox ORDER BY id`);
      return rows.every((r) => r.status !== 'pending') ? rows : undefined;
    }, 'the reminder marked sent in the outbox', 30_000);
    expect(outbox.map((o) => [o.status, o.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
    ]);
    expect(outbox[0]!.dedup_key).toBe(`document:supervision-notice:${item.id}`);

    // And the lead unit signs on the restored system: the item moves on to its result.
    await complete(await as('department', 'rsj'), signTask, { signConfirmed: true, handlerName: '人社局劳动监察大队', handlerPhone: null, responsibleDivision: null });
    await openTask(instance, 'submitResult');
    await dispatcher!.drain();
    expect(catcher.received()).toHaveLength(2);
    expect(catcher.received().filter((m) => m.messageId === noticeMail.messageId)).toHaveLength(1);
    console.log(
      `backup: ${backup.bytes} bytes, ${backup.manifest.tables.length} tables, ${Object.values(countsAtBackup).reduce((a, b) => a + b, 0)} rows in ${Math.round(backup.elapsedMs)} ms; restore ${Math.round(restored.elapsedMs)} ms`,
    );
  }, 300_000);
});
