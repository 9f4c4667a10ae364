import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appLink } from '../../src/config/schema.ts';
import { generateCaseData } from '../../src/domain/cases/generator.ts';
import { csvString } from '../../src/services/cases/csv-files.ts';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import { beijingDay } from '../../src/shared/time.ts';
import { workerDefinitions } from '../../workers/registry.ts';
import { startBrowser, type BrowserSession } from '../support/browser.ts';
import { ensureCountyData } from '../support/case-data.ts';
import { uniqueSuffix } from '../support/database.ts';
import { tasklistLogin, webappsAddress } from '../support/engine-doors.ts';
import { eventually } from '../support/engine.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser, TEST_PASSWORD } from '../support/users.ts';

/**
 * The main path in Chromium on the real engine (issue: the web application): the court imports
 * a case file and starts a round → the court submits the report → the leader approves → 金融局
 * answers its notice in the inbox through the Camunda Form → the office accepts, which registers
 * a supervision item → the monitor shows it. Another unit finds neither the notice nor the task.
 */
describe('main path in Chromium', () => {
  let system: TestSystem;
  let session: BrowserSession;
  const roundId = `2025-H1-W${uniqueSuffix().slice(-10)}`;
  const users: Record<'court' | 'leader' | 'jrj' | 'zjj' | 'office' | 'rsj', string> = {} as never;
  const q = <T>(sql: string, params: unknown[]) => system.services.db.query<T[]>(sql, params);

  const taskOf = (instanceKey: string, elementId: string) => waitForOpenTask(system.services.db, instanceKey, elementId);

  async function submitForm(page: Page, expected: string): Promise<void> {
    await page.locator('#task-submit').click();
    await expect.poll(() => page.locator('.alert-success').first().textContent(), { timeout: 30_000 }).toContain(expected);
  }

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    await ensureCountyData(system.services.db);
    await system.engine.resetClock();
    await system.engine.deployProcesses(path.resolve('bpmn'), ['assessment-round', 'risk-notice', 'supervision-item']);
    system.startWorkers(workerDefinitions);
    for (const [key, roles, department] of [
      ['court', ['court_analyst'], 'court'],
      ['leader', ['leader'], 'zfw'],
      ['jrj', ['department'], 'jrj'],
      ['zjj', ['department'], 'zjj'],
      ['office', ['peace_office'], 'pab'],
    ] as const) {
      users[key] = (await createTestUser(system.services, [...roles], department)).username;
    }
    session = await startBrowser(() => system.baseUrl);
  });

  afterAll(async () => {
    const [round] = (await system?.services.db.query<{ k: string | null }[]>(`SELECT process_instance_key::text AS k FROM assessment_round WHERE id = $1`, [roundId])) ?? [];
    if (round?.k) await system.engine.cancelProcessInstance(round.k).catch(() => undefined);
    await session?.close();
    await system?.stop();
  });

  it('when the court imports and starts a round, the leader approves, 金融局 answers and the office accepts, then the item is on the monitor', async () => {
    // The court: a case file (this year's first filings) and the round.
    const court = await session.openPage();
    await session.login(court, users.court, '/imports');
    // Nothing filed or closed after today: the importer refuses dates in the future (issue 17).
    const today = beijingDay(new Date());
    const cases = generateCaseData({ fromYear: 2026, toYear: 2026, rows: 40, seed: 7, plantedRisks: false, asOf: today }).cases.filter((c) => c.filing_date <= today);
    const file = await csvString(cases);
    await court.locator('#import-file').setInputFiles({ name: '唐河法院案件导出.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await court.locator('#import-submit').click();
    await expect.poll(() => court.locator('#import-result').textContent(), { timeout: 30_000 }).toContain('导入完成');
    // A side table through the same form: the kind sends it to its own route (year 2098 is this test's own).
    await court.locator('#import-kind').selectOption('population');
    await expect.poll(() => court.locator('#import-template').textContent()).toContain('常住人口');
    await court.locator('#import-file').setInputFiles({ name: '乡镇人口.csv', mimeType: 'text/csv', buffer: Buffer.from('乡镇,年度,常住人口\n源潭镇,2098,88000\n') });
    await court.locator('#import-submit').click();
    await expect.poll(() => court.locator('#import-result').textContent()).toContain('导入完成：读取 1 行');
    await court.locator('#round-year').fill('2025');
    await court.locator('#round-id').fill(roundId);
    await court.locator('#round-start').click();
    await expect.poll(() => court.locator('#round-result').textContent()).toContain(`已启动评估轮次 ${roundId}`);
    await session.shot(court, 'imports');
    const roundInstance = await eventually(
      async () => (await q<{ k: string | null }>(`SELECT process_instance_key::text AS k FROM assessment_round WHERE id = $1`, [roundId]))[0]?.k,
      'the round to compute its indicators',
      90_000,
    );
    await court.goto(`${system.baseUrl}/#/tasks/${await taskOf(roundInstance, 'courtReview')}`);
    // The review shows the report it decides on: its high cells in a table (issue 21 point 1).
    const highCells = court.getByRole('table').filter({ has: court.getByText('风险等级') });
    await expect.poll(() => highCells.locator('tbody').textContent()).toContain('民间借贷纠纷（B2）');
    expect(await court.locator('.fjs-form').textContent()).toContain('2025年上半年评估报告（第1稿）');
    // The report itself is one click away.
    const [{ report }] = await q<{ report: string }>(`SELECT report_document_id::text AS report FROM assessment_round WHERE id = $1`, [roundId]);
    expect(await court.locator('#subject-document').textContent()).toBe('查看评估报告');
    expect(await court.locator('#subject-document').getAttribute('href')).toBe(`#/documents/${report}`);
    await court.getByLabel('审核通过，报送领导审批').check();
    await submitForm(court, '已提交');

    const leader = await session.openPage();
    await session.login(leader, users.leader, `/tasks/${await taskOf(roundInstance, 'leaderApproval')}`);
    await leader.getByLabel('批准，发出风险提示函').check();
    await submitForm(leader, '已提交');

    // 金融局 finds its notice in the inbox and answers through the form.
    const notice = await eventually(
      async () => (await q<{ id: string; k: string; number: string }>(`SELECT id, process_instance_key::text AS k, number FROM risk_notice WHERE round_id = $1 AND department_id = 'jrj' AND process_instance_key IS NOT NULL AND number IS NOT NULL`, [roundId]))[0],
      "金融局's notice",
      90_000,
    );
    const opinionTask = await taskOf(notice.k, 'submitOpinion');
    const unit = await session.openPage();
    await session.login(unit, users.jrj, '/inbox');
    await unit.locator(`#inbox-table tr[data-task-key="${opinionTask}"] a.task-name`).click();
    await unit.locator('.fjs-form').waitFor();
    // The task names the notice it answers.
    await expect.poll(() => unit.locator('.fjs-form').textContent()).toContain(`答复的风险提示函：${notice.number}，打开全文（PDF、Word）`);
    await unit.getByLabel('风险分析研判').fill('民间借贷纠纷集中于源潭镇，同一出借主体涉案较多，存在非法集资风险，需会同公安、市场监管排查。');
    await unit.getByLabel('措施内容').fill('对源潭镇民间借贷高发情况开展专项排查');
    await unit.getByLabel('责任人').fill('王科长');
    // The unit list and the notice's indicators come from the process (its variables).
    await unit.locator('.fjs-form-field-select .fjs-input-group').first().click();
    await unit.keyboard.type('金融');
    await unit.locator('.fjs-dropdownlist-item', { hasText: '地方金融管理局' }).first().click();
    // The date field says in Chinese which order it reads (a US-style 03/31/2027 would be misread).
    expect(await unit.getByLabel('完成时限').getAttribute('placeholder')).toBe('年/月/日，如 2027/3/31');
    await unit.getByLabel('完成时限').fill('2027/3/31');
    await unit.getByLabel('完成时限').press('Enter');
    await unit.locator('.fjs-taglist-input').first().click();
    await unit.locator('.fjs-dropdownlist-item', { hasText: 'B2' }).first().click();
    await session.shot(unit, 'notice-opinion-form');
    await submitForm(unit, '已提交');

    // Another unit: neither the notice's chain nor the task exists for it.
    const other = await session.openPage();
    await session.login(other, users.zjj, `/trace/notice/${notice.id}`);
    await expect.poll(() => other.locator('#main').textContent()).toContain('没有找到该记录的追溯链');
    await other.goto(`${system.baseUrl}/#/tasks/${opinionTask}`);
    await other.getByRole('heading', { name: '待办不存在' }).waitFor();

    // The same review in the engine's Tasklist: its Camunda Form shows the same subject (issue 21 point 1).
    const reviewTask = await taskOf(notice.k, 'reviewOpinion');
    await system.services.engineIdentity.afterUsersChanged([{ username: users.office, password: TEST_PASSWORD }]);
    const tasklist = await session.openPage();
    await tasklistLogin(tasklist, users.office, TEST_PASSWORD);
    await tasklist.goto(`${webappsAddress()}/app/tasklist/default/#/?task=${reviewTask}`);
    const tasklistMeasures = tasklist.getByRole('table').filter({ has: tasklist.getByText('措施内容') });
    await expect.poll(() => tasklistMeasures.locator('tbody tr').first().locator('td').allTextContents(), { timeout: 30_000 }).toContain('对源潭镇民间借贷高发情况开展专项排查');
    expect(await tasklist.locator('.fjs-form').textContent()).toContain('承办单位：唐河县地方金融管理局');
    await session.shot(tasklist, 'engine-tasklist-opinion-review');

    // The office accepts: one supervision item per measure, visible in the monitor.
    const office = await session.openPage();
    await session.login(office, users.office, `/tasks/${reviewTask}`);
    // The office reads what it decides on: the unit, the analysis and the measure with its owner and indicator.
    const measures = office.getByRole('table').filter({ has: office.getByText('措施内容') });
    await expect.poll(() => measures.locator('tbody tr').first().locator('td').allTextContents()).toEqual([
      '1',
      '对源潭镇民间借贷高发情况开展专项排查',
      '王科长',
      '唐河县地方金融管理局',
      '2027-03-31',
      '民间借贷纠纷（B2）',
      '全县',
    ]);
    expect(await office.locator('.fjs-form').textContent()).toContain('承办单位：唐河县地方金融管理局');
    await session.shot(office, 'opinion-review-form');
    await office.getByLabel('通过，登记立项').check();
    await submitForm(office, '已提交');
    const item = await eventually(
      async () => (await q<{ k: string }>(`SELECT process_instance_key::text AS k FROM supervision_item WHERE source_kind = 'notice' AND source_id = $1 AND process_instance_key IS NOT NULL`, [notice.id]))[0],
      'the supervision item',
      90_000,
    );
    await office.goto(`${system.baseUrl}/#/monitor?processId=supervision-item`);
    await office.locator(`#instance-table tr[data-instance-key="${item.k}"]`).waitFor();
    await office.goto(`${system.baseUrl}/#/monitor/${item.k}`);
    await expect.poll(() => office.locator('#instance-business').textContent(), { timeout: 30_000 }).toContain('地方金融管理局');
    // The item's diagram is too large to fit legibly (issue 21 point 9): it opens at a zoom whose labels can be
    // read, on the step the item is at (its open task is inside the canvas).
    const transform = (await office.locator('#instance-diagram .viewport').first().getAttribute('transform')) ?? '';
    expect(Number(/matrix\(([\d.]+)/.exec(transform)?.[1])).toBeGreaterThanOrEqual(0.8);
    const canvasBox = (await office.locator('#instance-diagram').boundingBox())!;
    const stepBox = (await office.locator('#instance-diagram .djs-shape.rl-active:not([data-element-id="handling"])').last().boundingBox())!;
    expect(stepBox.x).toBeGreaterThanOrEqual(canvasBox.x);
    expect(stepBox.x + stepBox.width).toBeLessThanOrEqual(canvasBox.x + canvasBox.width);
    expect(stepBox.y).toBeGreaterThanOrEqual(canvasBox.y);
    expect(stepBox.y + stepBox.height).toBeLessThanOrEqual(canvasBox.y + canvasBox.height);
    await session.shot(office, 'main-path-item');
    expect(session.errors).toEqual([]);
  });

  it('when 人社局 answers its notice of the same round in the engine\'s Tasklist instead, then the same Camunda Form makes the same opinion, measures and audit row, and the office reviews it in our app', async () => {
    // Delivered too: the opinion task opens beside the delivery (a parallel branch), and the form's
    // link to the notice is a variable the delivery sets; Tasklist reads the variables once.
    const notice = await eventually(
      async () =>
        (await q<{ id: string; k: string; d: string }>(
          `SELECT id, process_instance_key::text AS k, document_id::text AS d FROM risk_notice WHERE round_id = $1 AND department_id = 'rsj' AND process_instance_key IS NOT NULL AND document_id IS NOT NULL`,
          [roundId],
        ))[0],
      "人社局's delivered notice",
      90_000,
    );
    const opinionTask = await taskOf(notice.k, 'submitOpinion');
    users.rsj = (await createTestUser(system.services, ['department'], 'rsj')).username;
    await system.services.engineIdentity.afterUsersChanged([{ username: users.rsj, password: TEST_PASSWORD }]);
    const page = await session.openPage();
    await tasklistLogin(page, users.rsj, TEST_PASSWORD);
    await page.goto(`${webappsAddress()}/app/tasklist/default/#/?task=${opinionTask}`);
    await page.getByRole('link', { name: '认领' }).or(page.getByRole('button', { name: '认领' })).first().click();
    await expect.poll(() => page.locator('.fjs-form').textContent(), { timeout: 60_000 }).toContain('答复的风险提示函：');
    // form-js's own texts in Chinese in Tasklist too (issue 21 point 8), from the table our inbox uses.
    await expect.poll(() => page.locator('.fjs-form').innerText()).toContain('添加一项');
    expect(await page.locator('.fjs-form').innerText()).not.toMatch(/Add new|Skip to search|Collapse|Expand all|No results|\bSelect\b|\bSearch\b/);
    expect(await page.locator('.fjs-form [aria-label^="Remove list item"]').count()).toBe(0);
    expect(await page.locator('.fjs-form [aria-label="删除第1项"]').count()).toBe(1);
    // The form links the notice it answers, in Tasklist too (issue 21 point 1): our app's page of that document.
    expect(await page.locator('.fjs-form').getByRole('link', { name: '打开全文（PDF、Word）' }).getAttribute('href')).toBe(appLink(system.config, `/documents/${notice.d}`));
    const analysis = '追索劳动报酬纠纷集中于建筑施工领域，欠薪主体多为分包企业。';
    const measure = '对在建工程项目开展欠薪专项检查';
    // Tasklist renders the form again when the claim lands: each field is set until all hold.
    await expect
      .poll(
        async () => {
          try {
            const wait = { timeout: 2_000 };
            if ((await page.getByLabel('风险分析研判').inputValue(wait)) !== analysis) await page.getByLabel('风险分析研判').fill(analysis, wait);
            if ((await page.getByLabel('措施内容').inputValue(wait)) !== measure) await page.getByLabel('措施内容').fill(measure, wait);
            if ((await page.getByLabel('责任人').inputValue(wait)) !== '李科长') await page.getByLabel('责任人').fill('李科长', wait);
            const unit = page.locator('.fjs-form-field-select').first();
            if (!(await unit.textContent(wait))?.includes('人力资源和社会保障局')) {
              await unit.locator('.fjs-input-group').click(wait);
              await page.keyboard.type('人力资源');
              await page.locator('.fjs-dropdownlist-item', { hasText: '人力资源和社会保障局' }).first().click(wait);
            }
            const tags = page.locator('.fjs-taglist').first();
            if ((await tags.locator('.fjs-taglist-tag').count()) === 0) {
              await tags.locator('.fjs-taglist-input').click(wait);
              await page.locator('.fjs-dropdownlist-item').first().click(wait);
            }
            return [await page.getByLabel('风险分析研判').inputValue(wait), await page.getByLabel('措施内容').inputValue(wait), await tags.locator('.fjs-taglist-tag').count()];
          } catch {
            return null;
          }
        },
        { timeout: 30_000, interval: 500 },
      )
      .toEqual([analysis, measure, 1]);
    const deadline = page.getByLabel('完成时限');
    // Tasklist's date format for a Chinese browser (yyyy/mm/dd), its hint in Chinese.
    expect(await deadline.getAttribute('placeholder')).toBe('年/月/日，如 2027/3/31');
    await deadline.fill('2027/03/31');
    await deadline.press('Enter');
    // Tasklist enables 办结 on the form's last validation: 保存 (a clerk's own step) validates the filled form again.
    const done = page.getByRole('button', { name: '办结' });
    await expect
      .poll(async () => {
        if (await done.isDisabled()) await page.getByRole('button', { name: '保存' }).click({ timeout: 2_000 }).catch(() => undefined);
        return done.isEnabled();
      }, { timeout: 30_000, interval: 1_000 })
      .toBe(true);
    await session.shot(page, 'engine-tasklist-notice-opinion');
    await done.click();

    // The office reviews it in our app; the opinion and its measure are the records an inbox answer makes.
    const review = await waitForOpenTask(system.services.db, notice.k, 'reviewOpinion', 30_000);
    const [opinion] = await q<{ analysis: string; measures: { content: string; owner_name: string; responsible_department_id: string; deadline: string }[] }>(
      `SELECT o.analysis, json_agg(json_build_object('content', m.content, 'owner_name', m.owner_name, 'responsible_department_id', m.responsible_department_id, 'deadline', to_char(m.deadline, 'YYYY-MM-DD'))) AS measures
         FROM work_opinion o JOIN measure m ON m.opinion_id = o.id WHERE o.notice_id = $1 GROUP BY o.id`,
      [notice.id],
    );
    expect(opinion).toEqual({ analysis, measures: [{ content: measure, owner_name: '李科长', responsible_department_id: 'rsj', deadline: '2027-03-31' }] });
    const office = await session.openPage();
    await session.login(office, users.office, `/tasks/${review}`);
    const measures = office.getByRole('table').filter({ has: office.getByText('措施内容') });
    await expect.poll(() => measures.locator('tbody tr').first().locator('td').allTextContents()).toEqual(expect.arrayContaining([measure, '李科长', '唐河县人力资源和社会保障局', '2027-03-31']));
    await system.services.engineTaskAudit.auditNew();
    expect(await q(`SELECT actor_name, department_id FROM audit_log WHERE action = 'task.complete' AND entity_id = $1 AND after->>'via' = 'tasklist'`, [opinionTask])).toEqual([
      { actor_name: users.rsj, department_id: 'rsj' },
    ]);
    expect(session.errors).toEqual([]);
  });
});
