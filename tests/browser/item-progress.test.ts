import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/services/actor.ts';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import { startBrowser, type BrowserSession } from '../support/browser.ts';
import { uniqueSuffix } from '../support/database.ts';
import { tasklistLogin, webappsAddress } from '../support/engine-doors.ts';
import { ApiClient } from '../support/http-client.ts';
import { deployLoopDiagrams, ITEM_OPENING_TYPES, openItemProcess, startWorkersOf } from '../support/loop-instances.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser, TEST_PASSWORD } from '../support/users.ts';

/**
 * 第十三条 in Chromium: 人社局 opens the 办理 task of its major supervision item (the real
 * process, signed through the inbox), reads the deadline and 重大, reports progress and sees it
 * listed once the item's process has registered it, asks for more time with a date not later than
 * the deadline and reads the server's Chinese field error, then with a later date and reads the
 * confirmation. The office's home page shows the item as not reported before, and the date of its
 * report after.
 */
describe('lead unit reports progress and asks for an extension from its task page', () => {
  let system: TestSystem;
  let session: BrowserSession;
  let workers: { stop(): Promise<void> } | null = null;
  const tag = uniqueSuffix();
  const DAY = 86_400_000;
  /** 09:00 in Beijing, 20 days from now. */
  const deadlineDate = new Date(Date.now() + 20 * DAY).toISOString().slice(0, 10);
  const laterDate = new Date(Date.parse(deadlineDate) + 15 * DAY).toISOString().slice(0, 10);
  const title = `排查在建工程欠薪隐患${tag}`;
  const users: Record<'rsj' | 'office', string> = {} as never;
  let item: { id: string; number: string };
  let instance = '';
  let task = '';
  /** The time format of the web app (app/format.ts) in the browser's time zone. */
  const dateTime = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });
  const dateOnly = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Shanghai' });

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    await deployLoopDiagrams(system, ['supervision-item']);
    workers = startWorkersOf(system, [...ITEM_OPENING_TYPES, 'record-item-signed', 'record-progress-report', 'record-item-result']);
    const registered = await system.services.supervision.register(systemActor, {
      businessKey: `web-progress:${tag}`,
      title,
      sourceKind: 'meeting',
      sourceId: `M-${tag}`,
      leadDepartmentId: 'rsj',
      coDepartmentIds: ['zjj'],
      requirements: '按期报送办理结果，重大事项随时报告进展。',
      deadline: `${deadlineDate}T01:00:00.000Z`,
      major: true,
    });
    instance = await openItemProcess(system, registered);
    users.rsj = (await createTestUser(system.services, ['department'], 'rsj')).username;
    users.office = (await createTestUser(system.services, ['peace_office'], 'pab')).username;
    // 签收 through the inbox, as the unit would: the item's 办理 task opens.
    const rsj = new ApiClient(system.baseUrl);
    expect((await rsj.login(users.rsj, TEST_PASSWORD)).status).toBe(200);
    const sign = await waitForOpenTask(system.services.db, instance, 'sign');
    const signed = await rsj.request('POST', `/api/tasks/${sign}/complete`, { variables: { signConfirmed: true, handlerName: '人社局劳动监察大队', handlerPhone: null, responsibleDivision: '劳动监察大队' } });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    task = await waitForOpenTask(system.services.db, instance, 'submitResult');
    const [{ number }] = await system.services.db.query<{ number: string }[]>(`SELECT number FROM supervision_item WHERE id = $1`, [registered.id]);
    item = { id: registered.id, number };
    session = await startBrowser(() => system.baseUrl);
  });

  afterAll(async () => {
    await workers?.stop();
    if (instance) await system?.engine.cancelProcessInstance(instance).catch(() => undefined);
    await session?.close();
    await system?.stop();
  });

  /** The cells of the item's row on the office's home page. */
  const officeRow = async () => {
    const office = await session.openPage();
    await session.login(office, users.office, '/');
    const row = office.locator(`#home-major-progress tr[data-item-id="${item.id}"]`);
    await row.waitFor();
    return { page: office, cells: await row.locator('td').allTextContents() };
  };
  const deadlineShown = () => dateOnly.format(new Date(`${deadlineDate}T01:00:00Z`));

  it('when the office opens its home page before any report, then the major item is listed as not reported', async () => {
    const { cells } = await officeRow();
    expect(cells).toEqual([item.number, title, '唐河县人力资源和社会保障局', deadlineShown(), '0 次', '尚未报告']);
  });

  it('when the lead unit reports progress and asks for an extension on its task page, then the report is listed, a date not after the deadline is refused in Chinese and a later one is confirmed', async () => {
    const page = await session.openPage();
    await session.login(page, users.rsj, `/tasks/${task}`);
    const panel = page.locator('#item-handling');
    await panel.waitFor();
    expect(await page.locator('h1').textContent()).toBe('办理并报送办理结果');
    expect(await page.locator('#item-number').textContent()).toBe(item.number);
    expect(await page.locator('#item-name').textContent()).toBe(title);
    expect(await page.locator('#item-deadline').textContent()).toBe(deadlineDate);
    expect(await page.locator('#item-major').textContent()).toBe('是（须随时报告进展）');
    expect(await page.locator('#progress-list').textContent()).toBe('尚未报告进展。');
    expect(await page.locator('#progress-missing').textContent()).toBe('本事项为重大事项，应随时报告进展；目前尚未报告进展。');

    // 报告进展: the counter follows the text, the limit is the server's.
    const content = '已排查在建项目 8 个，发现欠薪线索 2 条，正会同住建局核查。';
    // No maxlength (a browser cuts pasted text at it silently): the counter warns and the server refuses.
    expect(await page.locator('#progress-content').getAttribute('maxlength')).toBeNull();
    expect(await page.locator('#progress-content-count').textContent()).toBe('0 / 5000 字');
    const tooLong = '进'.repeat(5001);
    await page.getByLabel('进展情况').fill(tooLong);
    expect(await page.locator('#progress-content-count').textContent()).toBe('5001 / 5000 字，超出 1 字');
    await page.getByRole('button', { name: '报告进展' }).click();
    await expect.poll(() => page.locator('#progress-messages').textContent()).toContain('进展情况不超过 5000 字');
    expect(await page.locator('#progress-content').inputValue()).toBe(tooLong);
    await page.getByLabel('进展情况').fill(content);
    expect(await page.locator('#progress-content-count').textContent()).toBe(`${content.length} / 5000 字`);
    await page.getByRole('button', { name: '报告进展' }).click();
    await expect.poll(() => page.locator('#progress-messages').textContent()).toBe('进展报告已报送。');
    expect(await page.locator('#progress-content').inputValue()).toBe('');
    expect(await page.locator('#progress-content-count').textContent()).toBe('0 / 5000 字');
    // Listed as the item's process registered it (no "登记中" once it is), with the registered time.
    const listed = page.locator('#progress-list li');
    await expect.poll(() => page.locator('#progress-list .tag').count()).toBe(0);
    const [stored] = await system.services.db.query<{ message_id: string; reported_at: Date }[]>(
      `SELECT message_id, reported_at FROM progress_report WHERE item_id = $1`,
      [item.id],
    );
    expect(stored).toBeDefined();
    expect(await listed.count()).toBe(1);
    expect(await listed.getAttribute('data-report-id')).toBe(stored!.message_id);
    expect(await listed.locator('.progress-time').textContent()).toBe(dateTime.format(stored!.reported_at));
    expect(await listed.locator('.progress-content').textContent()).toBe(content);
    expect(await page.locator('#progress-missing').textContent()).toBe('');

    // 申请延期 with the deadline's own date: the server's field error, in Chinese, under its label.
    const reason = '涉及多个在建项目，需协调住建部门共同核查';
    expect(await page.locator('#extension-reason').getAttribute('maxlength')).toBeNull();
    await page.getByLabel('延期理由').fill(reason);
    expect(await page.locator('#extension-reason-count').textContent()).toBe(`${reason.length} / 2000 字`);
    await page.getByLabel('申请延至').fill(deadlineDate);
    await page.getByRole('button', { name: '申请延期' }).click();
    const problem = page.locator('#extension-messages li[data-field="requestedDeadline"]');
    await problem.waitFor();
    expect(await page.locator('#extension-messages strong').textContent()).toBe('输入有误');
    expect(await problem.textContent()).toBe(`申请延至：应晚于现办理时限 ${deadlineDate}`);
    expect(await system.services.db.query(`SELECT 1 FROM audit_log WHERE action = 'supervision_item.extension_requested' AND entity_id = $1`, [item.id])).toHaveLength(0);

    // A later date: the request goes to the office and a leader.
    await page.getByLabel('申请延至').fill(laterDate);
    await page.getByRole('button', { name: '申请延期' }).click();
    await expect.poll(() => page.locator('#extension-messages').textContent()).toBe(`延期申请已提交（申请延至 ${laterDate}），待平安办审核、领导审批。`);
    expect(await page.locator('#extension-reason').inputValue()).toBe('');
    expect(await page.locator('#extension-reason-count').textContent()).toBe('0 / 2000 字');
    const audit = await system.services.db.query<{ after: { reason: string; requestedDeadline: string } }[]>(
      `SELECT after FROM audit_log WHERE action = 'supervision_item.extension_requested' AND entity_id = $1`,
      [item.id],
    );
    expect(audit.map((a) => [a.after.reason, a.after.requestedDeadline])).toEqual([[reason, laterDate]]);
    // The panel's heading just below the fixed top bar.
    await page.locator('#item-title').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.evaluate('window.scrollBy(0, -80)');
    await session.shot(page, 'task-item-progress');

    // The office's home page: the major item with its one report and the date of it.
    const office = await officeRow();
    expect(office.cells).toEqual([item.number, title, '唐河县人力资源和社会保障局', deadlineShown(), '1 次', dateOnly.format(stored!.reported_at)]);
    await session.shot(office.page, 'home-office-major-progress');
  });

  it('when the lead unit reports its result in the engine’s Tasklist, then the item records it, the office’s review shows it, and the completion is audited as through our inbox', async () => {
    const RESULT = '已排查在建项目 8 个，清欠 86 万元，书面报告已盖章报送。';
    await system.services.engineIdentity.afterUsersChanged([{ username: users.rsj, password: TEST_PASSWORD }]);
    const page = await session.openPage();
    await tasklistLogin(page, users.rsj, TEST_PASSWORD);
    await page.goto(`${webappsAddress()}/app/tasklist/default/#/?task=${task}`);
    await page.getByRole('link', { name: '认领' }).or(page.getByRole('button', { name: '认领' })).first().click();
    // Tasklist renders the form again when the claim lands, dropping what was typed before: set both until they hold.
    const summary = page.getByLabel('办理结果');
    const confirmed = page.getByLabel('已按一事一文、加盖公章的要求上报书面报告');
    await expect
      .poll(
        async () => {
          try {
            if ((await summary.inputValue({ timeout: 2_000 })) !== RESULT) await summary.fill(RESULT, { timeout: 2_000 });
            if (!(await confirmed.isChecked({ timeout: 2_000 }))) await confirmed.check({ timeout: 2_000 });
            return [await summary.inputValue({ timeout: 2_000 }), await confirmed.isChecked({ timeout: 2_000 })];
          } catch {
            return null;
          }
        },
        { timeout: 30_000, interval: 500 },
      )
      .toEqual([RESULT, true]);
    await session.shot(page, 'engine-tasklist-item-result');
    await page.getByRole('button', { name: '办结' }).click();

    // The same records as an inbox completion: the item's result, the office's review showing it, the audit row.
    const review = await waitForOpenTask(system.services.db, instance, 'reviewResult', 30_000);
    const [stored] = await system.services.db.query<{ result_summary: string }[]>(`SELECT result_summary FROM supervision_item WHERE id = $1`, [item.id]);
    expect(stored!.result_summary).toBe(RESULT);
    const office = new ApiClient(system.baseUrl);
    expect((await office.login(users.office, TEST_PASSWORD)).status).toBe(200);
    expect((await office.request('GET', `/api/tasks/${review}`)).body.variables.resultSummary).toBe(RESULT);
    await system.services.engineTaskAudit.auditNew();
    const audit = await system.services.db.query(`SELECT actor_name, department_id, after FROM audit_log WHERE action = 'task.complete' AND entity_id = $1`, [task]);
    expect(audit).toEqual([{ actor_name: users.rsj, department_id: 'rsj', after: expect.objectContaining({ element: 'submitResult', process: 'supervision-item', via: 'tasklist' }) }]);
  });

  it('when every screen rendered, then the browser reported no script errors', () => {
    expect(session.errors).toEqual([]);
  });
});
