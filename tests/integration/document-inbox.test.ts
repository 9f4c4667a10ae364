import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeUrgeNoticeFor } from '../support/documents.ts';
import { ApiClient } from '../support/http-client.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser, TEST_PASSWORD } from '../support/users.ts';

/** The document inbox over HTTP: own papers only, read receipts, downloads checked against the audit hash. */
describe('document inbox', () => {
  let system: TestSystem;
  let rsjDoc = '';
  let zjjDoc = '';
  const rsj = () => new ApiClient(system.baseUrl);

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false });
    rsjDoc = await storeUrgeNoticeFor(system.services.db, { id: 'rsj', name: '唐河县人力资源和社会保障局' });
    zjjDoc = await storeUrgeNoticeFor(system.services.db, { id: 'zjj', name: '唐河县住房和城乡建设局' });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('when 人社局 opens its inbox, then it sees its own 催办通知书 unread, not 住建局’s; opening and downloading leave one receipt', async () => {
    const clerk = rsj();
    const user = await createTestUser(system.services, ['department'], 'rsj');
    expect((await clerk.login(user.username, TEST_PASSWORD)).status).toBe(200);

    const unread = await clerk.request('GET', '/api/documents?unread=true&limit=200');
    const ids = unread.body.items.map((d: { id: string }) => d.id);
    expect(ids).toContain(rsjDoc);
    expect(ids).not.toContain(zjjDoc);
    expect(unread.body.items.find((d: { id: string }) => d.id === rsjDoc)).toMatchObject({ kind: 'urge_notice', title: '催办通知书', recipients: ['rsj'], readAt: null });

    const opened = await clerk.request('GET', `/api/documents/${rsjDoc}`);
    expect(opened.status).toBe(200);
    expect(opened.body.text).toContain('唐河县人力资源和社会保障局');
    expect(opened.body.receipts).toBeNull();

    const pdf = await fetch(`${system.baseUrl}/api/documents/${rsjDoc}/file/pdf`, { headers: { cookie: clerk.cookieHeader() } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(decodeURIComponent(pdf.headers.get('content-disposition')!)).toContain('催办通知书.pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const [audit] = await system.services.db.query(`SELECT after FROM audit_log WHERE action = 'document.generated' AND entity_id = $1`, [rsjDoc]);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(audit.after.pdfSha256);
    // The download itself is audited: who took which file away (第二十条); opening the text is a receipt only.
    expect(
      await system.services.db.query(`SELECT actor_name, department_id, after, sha256 FROM audit_log WHERE action = 'document.download' AND entity_id = $1`, [rsjDoc]),
    ).toEqual([{ actor_name: user.username, department_id: 'rsj', after: { number: expect.any(String), format: 'pdf', bytes: bytes.length }, sha256: audit.after.pdfSha256 }]);

    const later = await clerk.request('GET', '/api/documents?unread=true&limit=200');
    expect(later.body.items.map((d: { id: string }) => d.id)).not.toContain(rsjDoc);
    expect((await clerk.request('GET', `/api/documents/${zjjDoc}`)).status).toBe(404);
    expect((await clerk.request('GET', `/api/documents/${zjjDoc}/file/docx`)).status).toBe(404);
    expect((await clerk.request('GET', `/api/documents/${rsjDoc}/file/xlsx`)).body.error.problems).toEqual([{ field: 'format', reason: '文件格式应为 docx 或 pdf' }]);

    const office = new ApiClient(system.baseUrl);
    const officer = await createTestUser(system.services, ['peace_office'], 'pab');
    await office.login(officer.username, TEST_PASSWORD);
    const seen = await office.request('GET', `/api/documents/${rsjDoc}`);
    // Every reader leaves one receipt, the office's own look included, in the order they first opened it.
    expect(seen.body.receipts).toEqual([
      { departmentId: 'rsj', reader: user.displayName, firstReadAt: expect.any(String) },
      { departmentId: 'pab', reader: officer.displayName, firstReadAt: expect.any(String) },
    ]);
    expect((await office.request('GET', `/api/documents/${zjjDoc}`)).status).toBe(200);
  });
});
