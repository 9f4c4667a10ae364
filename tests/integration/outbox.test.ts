import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { startMailCatcher, type MailCatcher } from '../../src/mail/catcher.ts';
import { createMailDispatcher } from '../../src/mail/dispatcher.ts';
import { createSmtpTransport } from '../../src/mail/transport.ts';
import { writeAudit } from '../../src/services/audit.ts';
import { systemActor } from '../../src/services/actor.ts';
import { enqueueMail, messageIdFor } from '../../src/services/outbox.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { openTestDatabase, uniqueSuffix } from '../support/database.ts';

const log = createLogger('silent');

describe('mail outbox', () => {
  let db: DataSource;
  let catcher: MailCatcher;
  let refuse = false;

  beforeAll(async () => {
    db = await openTestDatabase();
    catcher = await startMailCatcher(0, { refuse: () => refuse });
    // Rows of earlier runs must not be sent to this run's catcher.
    await db.query(`UPDATE outbox SET status = 'failed' WHERE status = 'pending'`);
  });
  afterAll(async () => {
    await catcher?.stop();
    await db?.destroy();
  });

  const dispatcher = () => createMailDispatcher(db, createSmtpTransport(`smtp://127.0.0.1:${catcher.port}`), log, { from: '平安办 <pab@example.gov>' });
  const ours = (tag: string) => catcher.received().filter((m) => m.subject?.includes(tag));

  it('when mails are enqueued with a business change, then each is sent once with its recipients, cc and attachment', async () => {
    const tag = uniqueSuffix();
    await db.transaction(async (tx) => {
      await writeAudit(tx, systemActor, { action: 'notice.issue', entityType: 'risk_notice', entityId: tag });
      for (const dept of ['rsj', 'zjj']) {
        expect(
          await enqueueMail(tx, {
            dedupKey: `notice:${tag}:${dept}`,
            to: [`${dept}@tanghe.gov.example`],
            cc: ['pab@tanghe.gov.example'],
            subject: `风险提示函 ${tag} ${dept}`,
            body: '请于十五个工作日内反馈工作意见。',
            attachments: [{ filename: '风险提示函.txt', contentType: 'text/plain', contentBase64: Buffer.from('正文').toString('base64') }],
          }),
        ).toBe(true);
      }
      // The same document to the same recipient again: refused by the dedup key.
      expect(await enqueueMail(tx, { dedupKey: `notice:${tag}:rsj`, to: ['rsj@tanghe.gov.example'], subject: 'dup', body: 'dup' })).toBe(false);
    });
    const a = dispatcher();
    const b = dispatcher();
    // Two dispatchers race for the same rows: row locks make each row go out once.
    await Promise.all([a.drain(), b.drain()]);
    const mails = ours(tag);
    expect(mails).toHaveLength(2);
    const rsj = mails.find((m) => m.subject?.endsWith('rsj'))!;
    expect(rsj.messageId).toBe(messageIdFor(`notice:${tag}:rsj`));
    expect(JSON.stringify(rsj.cc)).toContain('pab@tanghe.gov.example');
    expect(rsj.attachments[0]?.filename).toBe('风险提示函.txt');
    expect(rsj.attachments[0]?.content.toString()).toBe('正文');
    await a.drain();
    expect(ours(tag)).toHaveLength(2);
    const rows = await db.query(`SELECT status, attempts FROM outbox WHERE dedup_key LIKE $1`, [`notice:${tag}:%`]);
    expect(rows.every((r: { status: string; attempts: number }) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('when the SMTP server refuses, then the row stays pending with back-off and the error, and is sent once later', async () => {
    const tag = uniqueSuffix();
    await enqueueMail(db, { dedupKey: `urge:${tag}`, to: ['gaj@tanghe.gov.example'], subject: `催办通知书 ${tag}`, body: '请尽快办理。' });
    refuse = true;
    await dispatcher().drain();
    refuse = false;
    const [row] = await db.query(`SELECT status, attempts, last_error, next_attempt_at > now() + interval '25 seconds' AS backed_off FROM outbox WHERE dedup_key = $1`, [
      `urge:${tag}`,
    ]);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, backed_off: true });
    expect(row.last_error).toMatch(/451/);
    expect(ours(tag)).toHaveLength(0);
    // The back-off elapses (moved by hand, not slept): the next drain sends it, once.
    await db.query(`UPDATE outbox SET next_attempt_at = now() WHERE dedup_key = $1`, [`urge:${tag}`]);
    await dispatcher().drain();
    await dispatcher().drain();
    expect(ours(tag)).toHaveLength(1);
  });

  it.each([
    ['an unreachable SMTP server', { port: 'closed' as const }, /ECONNREFUSED/],
    ['a bad recipient address', { to: ['这不是邮箱地址'] }, /recipient|No recipients|address/i],
    ['an attachment over the relay limit', { attachmentBytes: 200_000 }, /552/],
  ])('when a mail meets %s, then the error is recorded and logged, it is retried later and sent once when the cause is gone', async (_case, fault, error) => {
    const tag = uniqueSuffix();
    const key = `fault:${tag}`;
    const attachment = 'attachmentBytes' in fault ? [{ filename: `附件${tag}.pdf`, contentType: 'application/pdf', contentBase64: Buffer.alloc(fault.attachmentBytes, 1).toString('base64') }] : undefined;
    await enqueueMail(db, { dedupKey: key, to: 'to' in fault ? fault.to : ['gaj@tanghe.gov.example'], subject: `通知 ${tag}`, body: '请查收。', attachments: attachment });
    // A relay with a 100 kB limit; for the unreachable case it is stopped first, so nothing listens there.
    const relay = await startMailCatcher(0, { maxBytes: 100_000 });
    const faulty = `smtp://127.0.0.1:${relay.port}`;
    if ('port' in fault) await relay.stop();
    const warnings: unknown[] = [];
    const spy = createLogger('warn');
    spy.warn = ((o: unknown) => warnings.push(o)) as typeof spy.warn;
    await createMailDispatcher(db, createSmtpTransport(faulty), spy, { from: '平安办 <pab@example.gov>' }).drain();
    if (!('port' in fault)) await relay.stop();
    const [row] = await db.query(`SELECT status, attempts, last_error FROM outbox WHERE dedup_key = $1`, [key]);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toMatch(error);
    expect(warnings).toHaveLength(1);
    // The cause is removed (the address corrected, the relay back, a relay without the limit) and the back-off elapses.
    await db.query(`UPDATE outbox SET next_attempt_at = now(), recipients = $2 WHERE dedup_key = $1`, [key, ['gaj@tanghe.gov.example']]);
    await dispatcher().drain();
    await dispatcher().drain();
    expect(ours(tag)).toHaveLength(1);
    expect((await db.query(`SELECT status, attempts FROM outbox WHERE dedup_key = $1`, [key]))[0]).toEqual({ status: 'sent', attempts: 2 });
  });
});
