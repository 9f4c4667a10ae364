import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/services/actor.ts';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import { link } from '../../src/services/loop/trace.ts';
import { startBrowser, type BrowserSession } from '../support/browser.ts';
import { computedRound } from '../support/case-data.ts';
import { uniqueSuffix } from '../support/database.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser } from '../support/users.ts';

/**
 * What a clerk reads on the screens (issue 21, points 2 and 3): the office's reviews of two
 * notices are two rows told apart by unit, notice number, indicator names and due date; indicators
 * read "民间借贷纠纷（B2）" in code order (C2 before C10) in the inbox, the notices ledger, the
 * trace, the cockpit and the indicator list; units and roles read by their Chinese names in the
 * inbox, the task, the 催办 list, the monitor and the trace — never peace_office, court_analyst,
 * leader or a unit's id.
 */
describe('names and codes a clerk reads, in Chromium', () => {
  let system: TestSystem;
  let session: BrowserSession;
  const roundId = `N${uniqueSuffix()}-2025-H1`;
  const serial = Date.now() % 10_000_000;
  const users: Record<'office' | 'admin' | 'leader', string> = {} as never;
  /** Instances and tasks of the fixture's answer step, held by the group the name says. */
  const instances: Record<'jrjReview' | 'rsjReview' | 'leader' | 'court' | 'minutes', string> = {} as never;
  const tasks: Record<keyof typeof instances, string> = {} as never;
  const notices = {
    jrjReview: { unit: '唐河县地方金融管理局', number: `唐平安提〔2025〕${serial}号`, due: '2031-03-05T09:00:00Z', shownDue: '2031/03/05 17:00' },
    rsjReview: { unit: '唐河县人力资源和社会保障局', number: `唐平安提〔2025〕${serial + 1}号`, due: '2031-03-12T09:00:00Z', shownDue: '2031/03/12 17:00' },
  };
  let unitIds: string[] = [];

  const row = (page: Page, task: string) => page.locator(`#inbox-table tr[data-task-key="${task}"]`);
  /** The page's visible text holds no role id and no unit id where a Chinese name belongs. */
  const expectNoIds = async (page: Page) => {
    const text = await page.locator('body').innerText();
    expect(text).not.toMatch(/\b(peace_office|court_analyst|leader|department)\b/);
    expect(text.match(new RegExp(`\\b(${unitIds.join('|')})\\b`, 'g'))).toBeNull();
  };

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    const { services } = system;
    await computedRound(services, roundId);
    await system.engine.deployProcesses(path.resolve('tests/fixtures/bpmn'), ['web-inbox-answer']);
    unitIds = (await services.db.query<{ id: string }[]>(`SELECT id FROM department`)).map((d) => d.id);
    for (const [key, roles, unit, displayName] of [
      ['office', ['peace_office'], 'pab', '平安办 王主任'],
      ['admin', ['admin'], null, '系统管理员'],
      ['leader', ['leader'], 'zfw', '县委政法委 李书记'],
    ] as const) {
      const u = await createTestUser(services, [...roles], unit);
      await services.db.query(`UPDATE app_user SET display_name = $1 WHERE id = $2`, [displayName, u.id]);
      users[key] = u.username;
    }
    // The fixture's task goes to the groups its variable names: the office's reviews, a leader's, the
    // court's, and — like the joint meeting's minutes — 政法委 and the leaders together, long overdue.
    for (const [name, group, due] of [
      ['jrjReview', 'peace_office', notices.jrjReview.due],
      ['rsjReview', 'peace_office', notices.rsjReview.due],
      ['leader', 'leader', '2031-04-01T09:00:00Z'],
      ['court', 'court_analyst', '2031-04-02T09:00:00Z'],
      ['minutes', 'zfw,leader', '2020-01-02T01:00:00Z'],
    ] as const) {
      instances[name] = (await system.engine.startProcess('web-inbox-answer', { department: group, dueDate: due })).processInstanceKey;
      tasks[name] = await waitForOpenTask(services.db, instances[name], 'answer');
    }
    // The two reviews are about two notices of the round: 金融局's on C10, B2 and C2, 人社局's on B5 and B4.
    for (const [name, departmentId, indicatorIds] of [
      ['jrjReview', 'jrj', ['C10', 'B2', 'C2']],
      ['rsjReview', 'rsj', ['B5', 'B4']],
    ] as const) {
      const notice = await services.notices.issue(systemActor, { roundId, departmentId, indicatorIds: [...indicatorIds], dueDate: notices[name].due, processInstanceKey: instances[name] });
      await services.db.query(`UPDATE risk_notice SET number = $2 WHERE id = $1`, [notice.id, notices[name].number]);
    }
    // The round's B2 was evaluated for 祁仪镇 in a later year.
    await link(services.db, { kind: 'indicator', id: `${roundId}:B2` }, { kind: 'outcome', id: `2999:B2:town-qiyi` });
    session = await startBrowser(() => system.baseUrl);
  });

  afterAll(async () => {
    for (const key of Object.values(instances)) await system?.engine.cancelProcessInstance(key).catch(() => undefined);
    await session?.close();
    await system?.stop();
  });

  it('when the office opens two reviews of two notices, then the rows tell them apart and indicators read by name in code order everywhere', async () => {
    const page = await session.openPage();
    await session.login(page, users.office, '/inbox?processId=web-inbox-answer');
    await row(page, tasks.jrjReview).waitFor();
    const rowTexts = async (task: string) => ({
      subject: await row(page, task).locator('.task-subject').innerText(),
      indicators: await row(page, task).locator('.task-indicators').innerText(),
      due: await row(page, task).locator('td[data-label="截止时间"] > div').first().innerText(),
    });
    expect(await rowTexts(tasks.jrjReview)).toEqual({
      subject: `风险提示函 ${notices.jrjReview.number} · ${notices.jrjReview.unit}`,
      indicators: '指标：民间借贷纠纷（B2）、电信网络诈骗及帮信犯罪（C2）、涉诉信访与舆情（C10）',
      due: notices.jrjReview.shownDue,
    });
    expect(await rowTexts(tasks.rsjReview)).toEqual({
      subject: `风险提示函 ${notices.rsjReview.number} · ${notices.rsjReview.unit}`,
      indicators: '指标：劳动争议案件（B4）、欠薪类案件（B5）',
      due: notices.rsjReview.shownDue,
    });
    // The 办理 button says which review it opens.
    expect(await row(page, tasks.jrjReview).locator('a.btn-primary').getAttribute('aria-label')).toBe(
      `办理：研判并提交工作意见（风险提示函 ${notices.jrjReview.number} · ${notices.jrjReview.unit}）`,
    );

    // The notices ledger: the same indicators by name, in code order (not C10、B2、C2).
    await page.goto(`${system.baseUrl}/#/ledgers/notices?q=${encodeURIComponent(notices.jrjReview.number)}`);
    await expect.poll(() => page.locator('#ledger-table tbody tr').count()).toBe(1);
    expect(await page.locator('#ledger-table tbody td[data-label="高风险指标"]').innerText()).toBe('民间借贷纠纷（B2）、电信网络诈骗及帮信犯罪（C2）、涉诉信访与舆情（C10）');

    // The trace from the round's B2: the indicator by name.
    await page.goto(`${system.baseUrl}/#/trace/indicator/${encodeURIComponent(`${roundId}:B2`)}`);
    await page.locator('#trace-chain').waitFor();
    expect(await page.locator('#trace-chain li[data-kind="indicator"] li').allInnerTexts()).toEqual([`民间借贷纠纷（B2） · 评估轮次 ${roundId}`]);

    // The cockpit's rows and the indicator list: C1, C2, …, C10 — not C1, C10, C2.
    const cTen = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'C9', 'C10'];
    await page.goto(`${system.baseUrl}/#/cockpit?roundId=${encodeURIComponent(roundId)}`);
    await page.locator('#heat-grid').waitFor();
    const cockpitRows = (await page.locator('#heat-grid tbody th[scope="row"]').allInnerTexts()).map((t) => t.split(' ')[0]!);
    expect(cockpitRows.filter((c) => c.startsWith('C'))).toEqual(cTen);
    expect(cockpitRows.slice(0, 3)).toEqual(['A1', 'A2', 'A3']);
    await page.goto(`${system.baseUrl}/#/admin/indicators`);
    await page.locator('#indicator-table').waitFor();
    const listed = await page.locator('#indicator-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-indicator') ?? ''));
    expect(listed.filter((c) => c.startsWith('C'))).toEqual(cTen);
  });

  it('when the office, the admin and a leader read tasks, the 催办 list, the monitor and the trace, then units and roles show by their Chinese names, never by id', async () => {
    const office = await session.openPage();
    await session.login(office, users.office, '/inbox?processId=web-inbox-answer');
    await row(office, tasks.jrjReview).waitFor();
    expect(await row(office, tasks.jrjReview).locator('td[data-label="承办单位"]').innerText()).toBe('平安办');
    await expectNoIds(office);

    await office.goto(`${system.baseUrl}/#/tasks/${tasks.jrjReview}`);
    await office.locator('.fjs-form').waitFor();
    expect(await office.locator(`xpath=//dl[contains(@class, 'facts')]/dt[.='承办单位']/following-sibling::dd[1]`).innerText()).toBe('平安办');
    await expectNoIds(office);

    // The monitor: the side list and the diagram's overlay name the office.
    await office.goto(`${system.baseUrl}/#/monitor/${instances.jrjReview}`);
    await office.locator('.rl-unit').first().waitFor();
    expect(await office.locator(`#instance-tasks li[data-task-key="${tasks.jrjReview}"] .small`).first().innerText()).toBe('平安办');
    expect(await office.locator('.rl-unit').allInnerTexts()).toEqual(['平安办']);
    await expectNoIds(office);

    // The admin reads everyone's tasks: a leader's and the court's by their roles' names.
    const admin = await session.openPage();
    await session.login(admin, users.admin, '/inbox?processId=web-inbox-answer');
    await row(admin, tasks.court).waitFor();
    expect(await row(admin, tasks.leader).locator('td[data-label="承办单位"]').innerText()).toBe('县领导');
    expect(await row(admin, tasks.court).locator('td[data-label="承办单位"]').innerText()).toBe('法院数据分析');
    expect(await row(admin, tasks.minutes).locator('td[data-label="承办单位"]').innerText()).toBe('县领导、中共唐河县委政法委员会');
    await expectNoIds(admin);

    // The office's 催办 list: the overdue task of a unit and a role.
    await office.goto(`${system.baseUrl}/#/urge`);
    const overdue = office.locator(`#urge-table tr[data-task-key="${tasks.minutes}"]`);
    await overdue.waitFor();
    expect(await overdue.locator('td[data-label="承办单位"]').innerText()).toBe('县领导、中共唐河县委政法委员会');
    await expectNoIds(office);

    // The trace names the township an outcome was measured in.
    const leader = await session.openPage();
    await session.login(leader, users.leader, `/trace/indicator/${encodeURIComponent(`${roundId}:B2`)}`);
    await leader.locator('#trace-chain').waitFor();
    expect(await leader.locator('#trace-chain li[data-kind="outcome"] li').allInnerTexts()).toEqual(['2999年度成效评价：民间借贷纠纷（B2） · 祁仪镇人民政府']);
    expect(await leader.locator('#trace-chain li[data-kind="notice"] li').allInnerTexts()).toEqual([`风险提示函 ${notices.jrjReview.number} · ${notices.jrjReview.unit}`]);
    await expectNoIds(leader);
  });

  it('when every screen rendered, then the browser reported no script errors', () => {
    expect(session.errors).toEqual([]);
  });
});
