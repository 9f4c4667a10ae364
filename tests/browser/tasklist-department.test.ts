import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import { startBrowser, type BrowserSession } from '../support/browser.ts';
import { uniqueSuffix } from '../support/database.ts';
import { tasklistLogin, webappsAddress } from '../support/engine-doors.ts';
import { ApiClient } from '../support/http-client.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser, TEST_PASSWORD } from '../support/users.ts';

/**
 * Issue 18 "two doors" in Chromium: a department clerk logs into the engine's own Tasklist with its
 * app account, opens its unit's task by the link our inbox offers, fills the Camunda Form there and
 * completes it; the office then finds the next step in our app. A clerk of another unit, logged
 * into Tasklist the same way, can neither list nor open that task.
 */
const ANALYSIS = '金融风险集中于源潭镇，已约谈出借主体并排查资金来源。';

describe('a department in the engine’s Tasklist', () => {
  let system: TestSystem;
  let session: BrowserSession;
  const webapps = webappsAddress();
  const clerks: Record<'jrj' | 'rsj', string> = { jrj: '', rsj: '' };
  let office: ApiClient;
  let instance = '';
  let task = '';

  const logIn = (page: Page, username: string) => tasklistLogin(page, username, TEST_PASSWORD);

  /**
   * Fills the answer until the form shows it: Tasklist renders the form again (read-only until then) when the claim
   * lands, and a render after the first keystrokes drops them, so each field is set again until all three hold.
   */
  const fillAnswer = async (page: Page) => {
    const analysis = page.getByLabel('研判意见');
    const level = page.locator('.fjs-form-field-select');
    const days = page.getByLabel('整改期限（天）');
    const wait = { timeout: 2_000 };
    const shown = async () => [await analysis.inputValue(wait), (await level.locator('.fjs-select-display').textContent(wait))?.trim(), await days.inputValue(wait)];
    await expect
      .poll(
        async () => {
          try {
            const [text, choice, count] = await shown();
            if (text !== ANALYSIS) await analysis.fill(ANALYSIS, wait);
            if (choice !== '中') {
              await level.locator('.fjs-input-group').click(wait);
              await page.locator('.fjs-dropdownlist-item', { hasText: '中' }).click(wait);
            }
            if (count !== '30') await days.fill('30', wait);
            return await shown();
          } catch {
            return null;
          }
        },
        { timeout: 30_000, interval: 500 },
      )
      .toEqual([ANALYSIS, '中', '30']);
  };

  /** What Tasklist's own API answers the logged-in user (its session, not ours). */
  const tasklistApi = (page: Page, url: string) =>
    page.evaluate(async (u) => {
      const res = await fetch(u, { headers: { accept: 'application/json' } });
      return { status: res.status, body: res.ok ? ((await res.json()) as unknown) : null };
    }, `${webapps}/api/engine/engine/default${url}`);

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    await system.engine.deployProcesses(path.resolve('tests/fixtures/bpmn'), ['web-inbox-answer']);
    for (const unit of ['jrj', 'rsj'] as const) clerks[unit] = (await createTestUser(system.services, ['department'], unit)).username;
    const officeUser = await createTestUser(system.services, ['peace_office'], 'pab');
    // As the admin's user screen does after creating them: the engine learns the users and their passwords.
    await system.services.engineIdentity.afterUsersChanged(Object.values(clerks).map((username) => ({ username, password: TEST_PASSWORD })));
    office = new ApiClient(system.baseUrl);
    expect((await office.login(officeUser.username, TEST_PASSWORD)).status).toBe(200);

    const started = await system.engine.startProcess(
      'web-inbox-answer',
      { department: 'jrj', dueDate: new Date(Date.now() + 10 * 86_400_000).toISOString() },
      `tasklist-${uniqueSuffix()}`,
    );
    instance = started.processInstanceKey;
    task = await waitForOpenTask(system.services.db, instance, 'answer');
    session = await startBrowser(() => system.baseUrl);
  });

  afterAll(async () => {
    await session?.close();
    await system?.stop();
  });

  it('when a clerk of another unit logs into Tasklist, then the task is neither listed nor opened for it', async () => {
    const page = await session.openPage();
    await logIn(page, clerks.rsj);
    expect(await tasklistApi(page, `/task?processInstanceId=${instance}`)).toEqual({ status: 200, body: [] });
    expect((await tasklistApi(page, `/task/${task}`)).status).toBe(404);
    await page.goto(`${webapps}/app/tasklist/default/#/?task=${task}`);
    await page.getByText('该任务已不存在').first().waitFor();
    expect(await page.locator('form[name="taskForm"] textarea, .fjs-form').count()).toBe(0);
    await session.shot(page, 'engine-tasklist-foreign');
  });

  it('when the clerk completes its task’s form in Tasklist, then the office sees the next step in our app with the clerk’s answer', async () => {
    const page = await session.openPage();
    await logIn(page, clerks.jrj);
    expect(((await tasklistApi(page, `/task?processInstanceId=${instance}`)).body as { id: string }[]).map((t) => t.id)).toEqual([task]);
    // The link our inbox offers ("在 Tasklist 中办理").
    await page.goto(`${webapps}/app/tasklist/default/#/?task=${task}`);
    await page.getByRole('link', { name: '认领' }).or(page.getByRole('button', { name: '认领' })).first().click();
    await fillAnswer(page);
    await session.shot(page, 'engine-tasklist-form');
    await page.getByRole('button', { name: '办结' }).click();

    const review = await waitForOpenTask(system.services.db, instance, 'review', 30_000);
    const inbox = await office.request('GET', '/api/tasks?limit=200');
    expect(inbox.body.items.map((t: { key: string }) => t.key)).toContain(review);
    const opened = await office.request('GET', `/api/tasks/${review}`);
    expect(opened.status).toBe(200);
    const variables = await system.engine.taskVariables(review);
    expect(variables).toMatchObject({ analysis: ANALYSIS, riskLevel: 'medium', days: 30 });

    // The same audit row as an inbox completion, with the clerk as actor and its unit.
    await system.services.engineTaskAudit.auditNew();
    const audit = await system.services.db.query(`SELECT actor_name, department_id, after FROM audit_log WHERE action = 'task.complete' AND entity_id = $1`, [task]);
    expect(audit).toEqual([{ actor_name: clerks.jrj, department_id: 'jrj', after: expect.objectContaining({ element: 'answer', process: 'web-inbox-answer', via: 'tasklist' }) }]);
    expect(await system.services.engineTaskAudit.auditNew()).toBe(0);
  });

  it('when every Tasklist page rendered, then the browser reported no script errors', () => {
    expect(session.errors).toEqual([]);
  });
});
