import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/load-config.ts';
import { startMailCatcher, type MailCatcherOptions } from '../../src/mail/catcher.ts';
import { createMailDispatcher } from '../../src/mail/dispatcher.ts';
import { createConfiguredSmtpTransport } from '../../src/mail/transport.ts';
import { enqueueMail, messageIdFor } from '../../src/services/outbox.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { openTestDatabase, uniqueSuffix } from '../support/database.ts';
import { createTestPki, type TestCa, type TestServerCert } from '../support/test-pki.ts';

const log = createLogger('silent');
const USER = 'risk-loop@tanghe.gov.example';
const PASSWORD = 'relay-password-7Qx!';

/**
 * Issue 20 point 7: mail to a relay that requires STARTTLS and AUTH, through the product's own
 * configuration, transport and outbox dispatcher, to a real SMTP server on a real socket; the
 * certificates are made with openssl for this run.
 */
describe('mail over STARTTLS with authentication', () => {
  let db: DataSource;
  let pki: Awaited<ReturnType<typeof createTestPki>>;
  let trustedCa: TestCa;
  let trustedServer: TestServerCert;
  let impostorServer: TestServerCert;

  beforeAll(async () => {
    db = await openTestDatabase();
    // Rows of earlier runs must not be sent to these catchers.
    await db.query(`UPDATE outbox SET status = 'failed' WHERE status = 'pending'`);
    pki = await createTestPki();
    trustedCa = await pki.authority('county-ca');
    trustedServer = await pki.server(trustedCa, 'relay');
    // The same names (127.0.0.1, localhost), signed by an authority the configuration does not trust.
    impostorServer = await pki.server(await pki.authority('other-ca'), 'impostor');
  });
  afterAll(async () => {
    await pki?.dispose();
    await db?.destroy();
  });

  /** One mail enqueued, one drain of a dispatcher built from `env` as the app builds it; what the catcher saw. */
  async function sendThrough(catcherOptions: MailCatcherOptions, env: (port: number) => Record<string, string>) {
    const tag = uniqueSuffix();
    const dedupKey = `tls:${tag}`;
    await enqueueMail(db, { dedupKey, to: ['gaj@tanghe.gov.example'], subject: `风险提示函 ${tag}`, body: `请于十五个工作日内反馈。${tag}` });
    const catcher = await startMailCatcher(0, catcherOptions);
    try {
      const config = loadConfig({ SMTP_CA_FILE: trustedCa.certFile, SMTP_REQUIRE_TLS: 'true', ...env(catcher.port) });
      await createMailDispatcher(db, createConfiguredSmtpTransport(config), log, { from: '平安办 <pab@tanghe.gov.example>' }).drain();
      const [row] = await db.query(`SELECT status, attempts, last_error FROM outbox WHERE dedup_key = $1`, [dedupKey]);
      // A failed row is not retried by later tests' dispatchers.
      await db.query(`UPDATE outbox SET status = 'failed' WHERE dedup_key = $1 AND status = 'pending'`, [dedupKey]);
      return { tag, dedupKey, row, deliveries: catcher.deliveries(), mailFrom: catcher.mailFromAttempts(), auth: catcher.authAttempts() };
    } finally {
      await catcher.stop();
    }
  }

  const relayUrl = (port: number, password = PASSWORD) => `smtp://${encodeURIComponent(USER)}:${encodeURIComponent(password)}@127.0.0.1:${port}`;

  it('when the relay requires STARTTLS and AUTH and its certificate is signed by the configured CA, then it receives exactly that message from the authenticated user', async () => {
    const r = await sendThrough({ tls: trustedServer, auth: { user: USER, password: PASSWORD } }, (port) => ({ SMTP_URL: relayUrl(port) }));
    expect(r.row).toEqual({ status: 'sent', attempts: 1, last_error: null });
    expect(r.auth).toEqual([{ user: USER, accepted: true }]);
    expect(r.mailFrom).toEqual([{ from: 'pab@tanghe.gov.example', user: USER, secure: true }]);
    expect(r.deliveries).toHaveLength(1);
    const [delivery] = r.deliveries;
    expect(delivery!.user).toBe(USER);
    expect(delivery!.secure).toBe(true);
    expect(delivery!.mail.subject).toBe(`风险提示函 ${r.tag}`);
    expect(delivery!.mail.text).toBe(`请于十五个工作日内反馈。${r.tag}`);
    expect(delivery!.mail.messageId).toBe(messageIdFor(r.dedupKey));
    expect(delivery!.mail.from?.value).toEqual([{ address: 'pab@tanghe.gov.example', name: '平安办' }]);
    expect(delivery!.mail.to).toMatchObject({ value: [{ address: 'gaj@tanghe.gov.example', name: '' }] });
  });

  it('when the server\'s certificate is signed by another CA, then the send fails with a certificate error and the password and the mail never reach it', async () => {
    const r = await sendThrough({ tls: impostorServer, auth: { user: USER, password: PASSWORD } }, (port) => ({ SMTP_URL: relayUrl(port) }));
    expect(r.row).toEqual({ status: 'pending', attempts: 1, last_error: 'unable to verify the first certificate; if the root CA is installed locally, try running Node.js with --use-system-ca' });
    expect(r.auth).toEqual([]);
    expect(r.mailFrom).toEqual([]);
    expect(r.deliveries).toEqual([]);
  });

  it('when the relay\'s certificate is signed by the county CA but SMTP_CA_FILE is not set, then it is refused (the system authorities do not know that CA)', async () => {
    const r = await sendThrough({ tls: trustedServer, auth: { user: USER, password: PASSWORD } }, (port) => ({ SMTP_URL: relayUrl(port), SMTP_CA_FILE: '' }));
    expect(r.row).toEqual({ status: 'pending', attempts: 1, last_error: 'unable to verify the first certificate; if the root CA is installed locally, try running Node.js with --use-system-ca' });
    expect(r.auth).toEqual([]);
    expect(r.deliveries).toEqual([]);
  });

  it('when the password is wrong, then the relay refuses it with 535 and nothing is received', async () => {
    const r = await sendThrough({ tls: trustedServer, auth: { user: USER, password: PASSWORD } }, (port) => ({ SMTP_URL: relayUrl(port, 'not-the-password') }));
    expect(r.row.status).toBe('pending');
    expect(r.row.attempts).toBe(1);
    expect(r.row.last_error).toBe('Invalid login: 535 Invalid username or password');
    expect(r.auth).toEqual([{ user: USER, accepted: false }]);
    expect(r.mailFrom).toEqual([]);
    expect(r.deliveries).toEqual([]);
  });

  it('when TLS is required and the server does not offer STARTTLS, then nothing is sent in plain text: no AUTH, no MAIL FROM, no message', async () => {
    const r = await sendThrough({}, (port) => ({ SMTP_URL: relayUrl(port) }));
    expect(r.row.status).toBe('pending');
    expect(r.row.attempts).toBe(1);
    expect(r.row.last_error).toBe('Error upgrading connection with STARTTLS: 500 Error: command not recognized');
    expect(r.auth).toEqual([]);
    expect(r.mailFrom).toEqual([]);
    expect(r.deliveries).toEqual([]);
  });

  it('when TLS is not set and the relay is off this machine, then it is required by default (the transport asks for STARTTLS and verifies)', () => {
    const transport = createConfiguredSmtpTransport(loadConfig({ SMTP_URL: 'smtp://mail-relay.invalid:587' }));
    expect((transport as unknown as { options: Record<string, unknown> }).options).toMatchObject({ requireTLS: true, ignoreTLS: false, tls: { rejectUnauthorized: true } });
  });
});
