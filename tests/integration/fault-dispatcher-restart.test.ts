import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { startMailCatcher, type MailCatcher } from '../../src/mail/catcher.ts';
import { enqueueMail } from '../../src/services/outbox.ts';
import { openTestDatabase, uniqueSuffix } from '../support/database.ts';
import { eventually } from '../support/engine.ts';

/** QUALITY.md R4 / issue 8 fault 3: the process sending mail is killed during a burst and restarted. */
describe('fault: the mail dispatcher is killed during a burst', () => {
  let db: DataSource;
  let catcher: MailCatcher;
  const children: ChildProcess[] = [];

  async function spawnDispatcher(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['tests/support/outbox-dispatcher-process.ts'], {
      env: { ...process.env, SMTP_PORT: String(catcher.port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`dispatcher exited early (${code})`)));
    });
    return child;
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    await db.query(`UPDATE outbox SET status = 'failed' WHERE status = 'pending'`);
    catcher = await startMailCatcher(0);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await catcher?.stop();
    await db?.destroy();
  });

  it('when it is killed after some of 200 mails and restarted, then every mail arrives once (a repeat only with the same Message-ID)', async () => {
    const tag = uniqueSuffix();
    await db.transaction(async (tx) => {
      for (let i = 0; i < 200; i++) {
        await enqueueMail(tx, { dedupKey: `burst:${tag}:${i}`, to: [`d${i % 30}@tanghe.gov.example`], subject: `督办事项通知书 ${tag} #${i}`, body: '请按期办理。' });
      }
    });
    const ours = () => catcher.received().filter((m) => m.subject?.includes(tag));
    const first = await spawnDispatcher();
    await eventually(async () => ours().length >= 40, 'a part of the burst');
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const atKill = ours().length;
    await spawnDispatcher();
    await eventually(async () => new Set(ours().map((m) => m.subject)).size === 200, 'the whole burst', 60_000);
    const [pending] = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE dedup_key LIKE $1 AND status <> 'sent'`, [`burst:${tag}:%`]);
    const bySubject = new Map<string, Set<string | undefined>>();
    for (const m of ours()) bySubject.set(m.subject!, (bySubject.get(m.subject!) ?? new Set()).add(m.messageId));
    const repeats = ours().length - bySubject.size;
    console.log(`R4: killed after ${atKill} mails; received ${ours().length} for 200 rows; repeats ${repeats}`);
    expect(pending.n).toBe(0);
    expect(bySubject.size).toBe(200);
    // Only a send in flight at the kill can repeat, and it carries the same Message-ID.
    expect(repeats).toBeLessThanOrEqual(1);
    expect([...bySubject.values()].every((ids) => ids.size === 1)).toBe(true);
  });
});
