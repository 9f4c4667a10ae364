import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { startMailCatcher, type MailCatcher } from '../../src/mail/catcher.ts';
import { createDevMailbox } from '../../src/services/dev-mailbox.ts';
import { NotFoundError } from '../../src/shared/errors.ts';
import { ApiClient } from '../support/http-client.ts';
import { productionEnv } from '../support/production-env.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser, TEST_PASSWORD } from '../support/users.ts';

/** The development mailbox: what the local catcher received, for admins only, never in production. */
describe('development mailbox', () => {
  let system: TestSystem;
  let catcher: MailCatcher;

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false, env: { NODE_ENV: 'development' } });
    catcher = await startMailCatcher(0);
    system.services.devMailbox.attach(catcher.received);
  });

  afterAll(async () => {
    await catcher?.stop();
    await system?.stop();
  });

  it('when a notice reaches the catcher, then the admin reads it with recipients, cc and attachment; others may not', async () => {
    await nodemailer.createTransport({ host: '127.0.0.1', port: catcher.port, secure: false, ignoreTLS: true }).sendMail({
      from: '唐河县平安办 <pingan@tanghe.gov.example>',
      to: 'rsj@tanghe.gov.example',
      cc: 'rsj-leader@tanghe.gov.example',
      subject: '催办通知书 唐平催〔2026〕1号',
      text: '请于三个工作日内报送办理结果。',
      attachments: [{ filename: '唐平催〔2026〕1号_催办通知书.pdf', content: Buffer.from('%PDF-1.7 test') }],
    });
    const admin = new ApiClient(system.baseUrl);
    expect((await admin.login((await createTestUser(system.services, ['admin'], null)).username, TEST_PASSWORD)).status).toBe(200);
    const res = await admin.request('GET', '/api/admin/mail');
    expect(res.status).toBe(200);
    expect(res.body[0]).toMatchObject({
      to: ['rsj@tanghe.gov.example'],
      cc: ['rsj-leader@tanghe.gov.example'],
      subject: '催办通知书 唐平催〔2026〕1号',
      attachments: [{ filename: '唐平催〔2026〕1号_催办通知书.pdf', contentType: 'application/pdf' }],
    });
    const office = new ApiClient(system.baseUrl);
    expect((await office.login((await createTestUser(system.services, ['peace_office'], 'pab')).username, TEST_PASSWORD)).status).toBe(200);
    expect((await office.request('GET', '/api/admin/mail')).status).toBe(403);
  });

  it('when the system runs in production, then there is no mailbox to read', () => {
    const mailbox = createDevMailbox({ config: loadConfig(productionEnv) });
    mailbox.attach(() => []);
    expect(() => mailbox.list()).toThrow(NotFoundError);
  });
});
