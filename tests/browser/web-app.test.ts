import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typedVariablesAnswer } from '../../src/engine/rest-answers.ts';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import { DESKTOP, PHONE, startBrowser, type BrowserSession } from '../support/browser.ts';
import { testEngineAddress } from '../support/engine.ts';
import { ApiClient } from '../support/http-client.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser, TEST_PASSWORD } from '../support/users.ts';

/**
 * The web app in Debian's Chromium against the real system (PostgreSQL, the Operaton engine, the
 * built web-dist): a department answers a task through its Camunda Form, another department is
 * refused by URL, the admin watches the monitor and deploys from the modeler. Every screen is
 * saved under docs/screenshots (1366×768, and the inbox at phone width).
 */
const DAY = 86_400_000;

describe('web app in Chromium', () => {
  let system: TestSystem;
  let session: BrowserSession;
  const users: Record<'rsj' | 'zjj' | 'office' | 'leader' | 'court' | 'admin' | 'auditor', { username: string; displayName: string }> = {} as never;
  const instances: Record<'yellow' | 'green' | 'red' | 'foreign', string> = {} as never;
  const tasks: Record<string, string> = {};

  const openPage = (viewport = DESKTOP) => session.openPage(viewport);
  const login = (page: Page, username: string, hash = '/') => session.login(page, username, hash);

  const attrs = async (page: Page, selector: string, name: string) =>
    Promise.all((await page.locator(selector).all()).map((row) => row.getAttribute(name)));

  const shot = (page: Page, name: string) => session.shot(page, name);

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    for (const [key, roles, dept] of [
      ['rsj', ['department'], 'rsj'],
      ['zjj', ['department'], 'zjj'],
      ['office', ['peace_office'], 'pab'],
      ['leader', ['leader'], 'zfw'],
      ['court', ['court_analyst'], 'court'],
      ['admin', ['admin'], null],
      ['auditor', ['auditor'], null],
    ] as const) {
      const u = await createTestUser(system.services, [...roles], dept);
      // Readable names in the screenshots.
      const displayName = {
        rsj: '人社局 赵科长',
        zjj: '住建局 孙科长',
        office: '平安办 王主任',
        leader: '县委政法委 李书记',
        court: '法院数据组 张法官',
        admin: '系统管理员',
        auditor: '纪检监察 审计员',
      }[key];
      await system.services.db.query(`UPDATE app_user SET display_name = $1 WHERE id = $2`, [displayName, u.id]);
      users[key] = { username: u.username, displayName };
    }

    // The fixture's form goes to the engine as it would from bpmn/; the diagram through the admin deployment route.
    await system.engine.deployProcesses(path.resolve('tests/fixtures/bpmn'), []);
    const admin = new ApiClient(system.baseUrl);
    expect((await admin.login(users.admin.username, TEST_PASSWORD)).status).toBe(200);
    const deployed = await admin.request('POST', '/api/admin/deployments', {
      name: 'web-inbox-answer.bpmn',
      xml: await readFile('tests/fixtures/bpmn/web-inbox-answer.bpmn', 'utf8'),
    });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);

    for (const [name, department, due] of [
      ['red', 'rsj', Date.now() - 2 * DAY],
      ['yellow', 'rsj', Date.now() + 2 * DAY],
      ['green', 'rsj', Date.now() + 12 * DAY],
      ['foreign', 'zjj', Date.now() - DAY],
    ] as const) {
      const started = await system.engine.startProcess('web-inbox-answer', { department, dueDate: new Date(due).toISOString() });
      instances[name] = started.processInstanceKey;
    }
    for (const [name, key] of Object.entries(instances)) tasks[name] = await waitForOpenTask(system.services.db, key, 'answer');

    session = await startBrowser(() => system.baseUrl);
  });

  afterAll(async () => {
    await session?.close();
    await system?.stop();
  });

  it('when someone opens the web app without a login, then the login page asks only for the session and no request is refused', async () => {
    const page = await openPage();
    const calls: string[] = [];
    page.on('response', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/api/')) calls.push(`${r.request().method()} ${url.pathname} ${r.status()}`);
    });
    await page.goto(`${system.baseUrl}/`);
    await page.getByLabel('用户名').waitFor();
    await page.waitForLoadState('networkidle');
    // A refused request would put "request refused" in the server's log at every visit.
    expect(calls).toEqual(['GET /api/session 200']);
  });

  it('when a department user logs in, then home and inbox show its tasks by due date with lights and a badge', async () => {
    const page = await openPage();
    await page.goto(`${system.baseUrl}/`);
    await page.getByRole('heading', { name: '用户登录' }).waitFor();
    await page.getByLabel('用户名').fill(users.rsj.username);
    await page.getByLabel('密码').fill('wrong-password-123');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.locator('.alert-error').textContent()).toContain('用户名或密码错误');
    await shot(page, 'login');

    // Keyboard only: the password field is focused and selected after a failure; Enter submits.
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `您好，${users.rsj.displayName}` }).waitFor();
    await expect.poll(() => page.locator('[data-badge="tasks"]').textContent()).toBe('3');
    await page.locator('#home-tasks').waitFor();
    // 下一步 names the most urgent task and opens it.
    expect(await page.locator('#home-next').textContent()).toMatch(/^下一步：已逾期，请先办理「研判并提交工作意见」/);
    expect(await page.locator('#home-next a').getAttribute('href')).toBe(`#/tasks/${tasks.red}`);
    await shot(page, 'home-department');

    await page.getByRole('link', { name: /^待办/ }).click();
    await page.locator('#inbox-table').waitFor();
    const keys = await attrs(page, '#inbox-table tbody tr', 'data-task-key');
    expect(keys).toEqual([tasks.red, tasks.yellow, tasks.green]);
    expect(keys).not.toContain(tasks.foreign);
    const lights = await page.locator('#inbox-table tbody tr .light').allTextContents();
    expect(lights).toEqual(['逾期', '临期', '正常']);
    // The first task's 办理 is reachable with Tab from the top of the page.
    let focused = '';
    for (let i = 0; i < 30 && focused !== '办理：研判并提交工作意见'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }).document.activeElement.getAttribute('aria-label') ?? '');
    }
    expect(focused).toBe('办理：研判并提交工作意见');
    await shot(page, 'inbox');

    const phone = await openPage(PHONE);
    await login(phone, users.rsj.username, '/inbox');
    await phone.locator('#inbox-table').waitFor();
    await shot(phone, 'inbox-phone');
    await phone.getByRole('button', { name: '菜单' }).click();
    await phone.locator('#nav.open').waitFor();
    await shot(phone, 'nav-phone');
  });

  it('when the department user opens a task, then its Camunda Form validates before submit, and a submitted task leaves the inbox', async () => {
    const page = await openPage();
    await login(page, users.rsj.username, `/tasks/${tasks.yellow}`);
    await page.getByRole('heading', { name: '研判并提交工作意见' }).waitFor();
    await page.locator('.fjs-form').waitFor();
    await page.getByRole('button', { name: '认领' }).click();
    await expect.poll(() => page.locator('.facts').textContent()).toContain('办理人我');
    // The other door: the same task in the engine's Tasklist.
    expect(await page.locator('#open-in-tasklist').getAttribute('href')).toBe(`${testEngineAddress().restAddress}/operaton/app/tasklist/default/#/?task=${tasks.yellow}`);
    await shot(page, 'task-form');

    // A text past the form's limit is kept whole and counted, and refused on submit (issue 21 point 9).
    const opinion = page.getByLabel('研判意见');
    const counter = page.locator('.fjs-form-field-textarea .form-text-count');
    expect(await counter.textContent()).toBe('0 / 2000 字');
    await opinion.fill('长'.repeat(2001));
    expect(await opinion.inputValue()).toHaveLength(2001);
    await expect.poll(() => counter.textContent()).toBe('2001 / 2000 字，超出 1 字');
    await page.locator('#task-submit').click();
    await expect.poll(async () => (await page.locator('.fjs-form-field-error').allTextContents()).join(' ')).toContain('不能超过 2000 个字符');

    await opinion.fill('太短');
    await expect.poll(() => counter.textContent()).toBe('2 / 2000 字');
    await page.locator('#task-submit').click();
    await expect.poll(() => page.locator('.messages .alert-error').textContent()).toContain('请先更正表单中标红的');
    const fieldErrors = await page.locator('.fjs-form-field-error').allTextContents();
    expect(fieldErrors.join(' ')).toContain('至少需要 10 个字符');
    expect(fieldErrors.join(' ')).toContain('此项为必填项');
    await shot(page, 'task-form-validation');

    const banner = page.locator('#form-errors');
    const before = await banner.textContent();
    await page.getByLabel('研判意见').fill('近半年劳动争议案件同比上升 38%，集中在建筑领域欠薪，拟开展专项排查并建立工资保证金台账。');
    // The banner follows the fields: one fewer to correct, and gone once none is left.
    const count = (text: string | null) => Number(/标红的 (\d+) 项/.exec(text ?? '')?.[1]);
    await expect.poll(async () => count(await banner.textContent())).toBe(count(before) - 1);
    await page.locator('.fjs-form-field-select .fjs-input-group').click();
    await page.locator('.fjs-dropdownlist-item', { hasText: '高' }).click();
    await page.getByLabel('整改期限（天）').fill('30');
    await expect.poll(() => banner.count()).toBe(0);
    await page.getByLabel('已召开专题研判会').check();
    await page.locator('#task-submit').click();
    await page.locator('#inbox-table, .empty').first().waitFor();
    await expect.poll(() => page.locator('.alert-success').textContent()).toContain('已提交：研判并提交工作意见');
    expect(await page.locator(`#inbox-table tr[data-task-key="${tasks.yellow}"]`).count()).toBe(0);
    await shot(page, 'inbox-after-submit');

    // The engine got the form's variables: the loop moved on to the office's review.
    await waitForOpenTask(system.services.db, instances.yellow, 'review');
    const variables = await system.engine.rest.read('GET', `/process-instance/${instances.yellow}/variables`, typedVariablesAnswer);
    expect(Object.fromEntries(['riskLevel', 'days', 'meetingHeld'].map((name) => [name, variables[name]?.value]))).toEqual({ riskLevel: 'high', days: 30, meetingHeld: true });
    const audit: { after: { variables: Record<string, unknown> } }[] = await system.services.db.query(
      `SELECT after FROM audit_log WHERE action = 'task.complete' AND entity_id = $1`,
      [tasks.yellow],
    );
    expect(audit.at(-1)!.after.variables).toMatchObject({ riskLevel: 'high', days: 30, meetingHeld: true });
    // After a reload the task is gone because the engine says so, not because this browser remembers.
    await page.evaluate(() => sessionStorage.clear());
    await page.reload();
    await page.locator('#inbox-table').waitFor();
    expect(await page.locator(`#inbox-table tr[data-task-key="${tasks.yellow}"]`).count()).toBe(0);
  });

  it("when a department user opens another department's task or instance by URL, then the app says it does not exist", async () => {
    const page = await openPage();
    await login(page, users.zjj.username, `/tasks/${tasks.green}`);
    await page.getByRole('heading', { name: '待办不存在' }).waitFor();
    expect(await page.locator('.alert-error').textContent()).toContain('待办事项不存在');
    expect(await page.locator('.fjs-form').count()).toBe(0);
    await shot(page, 'task-foreign');

    await page.goto(`${system.baseUrl}/#/monitor/${instances.green}`);
    await page.getByRole('heading', { name: '流程实例不存在' }).waitFor();
    await page.goto(`${system.baseUrl}/#/monitor`);
    await page.locator('#instance-table').waitFor();
    const visible = await attrs(page, '#instance-table tbody tr', 'data-instance-key');
    expect(visible).toContain(instances.foreign);
    expect(visible).not.toContain(instances.green);
    // Admin screens are not offered, and refused when typed.
    expect(await page.getByRole('link', { name: '流程建模' }).count()).toBe(0);
    await page.goto(`${system.baseUrl}/#/admin/modeler`);
    await page.getByRole('heading', { name: '无权访问' }).waitFor();
  });

  it('when the office logs in, then its home shows the review task the department produced', async () => {
    const page = await openPage();
    await login(page, users.office.username);
    await page.locator('#home-tasks').waitFor();
    await expect.poll(() => page.locator('.task-mini').textContent()).toContain('平安办审核意见');
    await shot(page, 'home-office');
  });

  it('when each role logs in, then the navigation offers exactly the screens of that role', async () => {
    const watch = ['驾驶舱', '流程监控', '台账', '年度报告'];
    // 故障处理 after 流程监控, for those who handle incidents (the office and admins).
    const watchIncidents = ['驾驶舱', '流程监控', '故障处理', '台账', '年度报告'];
    const expected: Record<string, string[]> = {
      rsj: ['首页', '待办', '公文', ...watch],
      leader: ['首页', '待办', '公文', '逾期催办', '约谈与挂牌', '专题分析', ...watch, '指标管理'],
      court: ['首页', '待办', '公文', '数据与评估', '专题分析', ...watch, '指标管理'],
      office: ['首页', '待办', '公文', '逾期催办', '约谈与挂牌', '数据与评估', '专题分析', ...watchIncidents, '指标管理'],
      admin: ['首页', '公文', '数据与评估', ...watchIncidents, '指标管理', '用户管理', '单位管理', '流程建模', '开发邮箱', '运行配置', '审计日志'],
      auditor: ['首页', '公文', ...watch, '用户管理', '单位管理', '运行配置', '审计日志'],
    };
    for (const [who, items] of Object.entries(expected)) {
      const page = await openPage();
      await login(page, users[who as keyof typeof users].username);
      await page.locator('h1', { hasText: '您好' }).waitFor();
      const nav = (await page.locator('#nav a').allTextContents()).map((t) => t.replace(/\d+$/, ''));
      expect(nav, who).toEqual(items);
      if (who === 'leader') await shot(page, 'home-leader');
      if (who === 'admin') await shot(page, 'home-admin');
      await page.context().close();
    }
  });

  it('when the admin opens the process monitor, then an instance shows its path, current step, and open tasks with their lights', async () => {
    const page = await openPage();
    await login(page, users.admin.username, '/monitor?processId=web-inbox-answer');
    await page.locator('#instance-table').waitFor();
    const listed = await attrs(page, '#instance-table tbody tr', 'data-instance-key');
    expect(listed).toEqual(expect.arrayContaining(Object.values(instances)));
    await shot(page, 'monitor');

    await page.goto(`${system.baseUrl}/#/monitor/${instances.yellow}`);
    await page.locator('#instance-diagram .djs-container').waitFor();
    await page.locator('.djs-element.rl-active[data-element-id="review"]').waitFor();
    expect(await page.locator('.djs-element.rl-completed[data-element-id="answer"]').count()).toBe(1);
    expect(await page.locator('.djs-element.rl-completed[data-element-id="received"]').count()).toBe(1);
    expect(await page.locator('.djs-connection.rl-taken[data-element-id="f2"]').count()).toBe(1);
    expect(await page.locator('.djs-connection.rl-taken[data-element-id="f3"]').count()).toBe(0);
    expect(await page.locator('#instance-tasks').textContent()).toContain('平安建设领导小组办公室');
    expect(await page.locator('#open-in-cockpit').getAttribute('href')).toBe(
      `${testEngineAddress().restAddress}/operaton/app/cockpit/default/#/process-instance/${instances.yellow}/runtime`,
    );
    await shot(page, 'monitor-instance');

    await page.goto(`${system.baseUrl}/#/monitor/${instances.red}`);
    await page.locator('.djs-element.rl-light-red[data-element-id="answer"]').waitFor();
    expect(await page.locator('.rl-tasks').textContent()).toContain('人力资源和社会保障局');
    expect(await page.locator('.rl-tasks').textContent()).toContain('逾期');
    await shot(page, 'monitor-instance-overdue');
  });

  it('when the admin edits a diagram in the modeler, then the palette is Chinese, problems and the diff show, and a new version deploys with an audit row', async () => {
    const page = await openPage();
    await login(page, users.admin.username, '/admin/modeler/web-inbox-answer');
    await page.locator('#modeler-canvas .djs-container').waitFor();
    await page.locator('.djs-palette [aria-label="创建开始事件"]').waitFor();
    await page.locator('#modeler-panel .bio-properties-panel').waitFor();
    await expect.poll(() => page.locator('#modeler-problems').textContent()).toContain('没有发现问题');
    await expect.poll(() => page.locator('#modeler-diff').textContent()).toContain('与已部署版本相同');
    // Selecting a task shows the Camunda 7 properties panel in Chinese (its user task groups, not Zeebe's).
    await page.locator('.djs-element[data-element-id="answer"]').click();
    await expect.poll(() => page.locator('#modeler-panel').textContent()).toContain('常规');
    expect(await page.locator('#modeler-panel').textContent()).toContain('用户分配');
    await shot(page, 'modeler');
    // An edit undone leaves nothing to deploy, and the page says so once it has compared.
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('#modeler-status').textContent()).toBe('有未部署的修改');
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('#modeler-status').textContent()).toBe('与已部署版本相同，没有未部署的修改');
    expect(await page.locator('.djs-element[data-element-id="answer"]').count()).toBe(1);

    const edited = (await readFile('tests/fixtures/bpmn/web-inbox-answer.bpmn', 'utf8'))
      .replace('name="平安办审核意见"', 'name="平安办复核意见"')
      .replace('<bpmn:endEvent id="closed"', '<bpmn:task id="archive" /><bpmn:endEvent id="closed"')
      .replace('</bpmndi:BPMNPlane>', '<bpmndi:BPMNShape id="s_archive" bpmnElement="archive"><dc:Bounds x="440" y="260" width="120" height="80" /></bpmndi:BPMNShape></bpmndi:BPMNPlane>');
    await page.locator('#modeler-file').setInputFiles({ name: 'edited.bpmn', mimeType: 'application/xml', buffer: Buffer.from(edited) });
    await expect.poll(() => page.locator('#modeler-diff').textContent()).toContain('新增（1）');
    expect(await page.locator('#modeler-summary').textContent()).toContain('新增 1、删除 0、修改 1');
    expect(await page.locator('#modeler-diff').textContent()).toContain('平安办复核意见');
    await expect.poll(() => page.locator('#modeler-problems').textContent()).toContain('元素缺少名称');
    await shot(page, 'modeler-problems');
    await page.locator('#modeler-problems').scrollIntoViewIfNeeded();
    await shot(page, 'modeler-review');
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));

    // Errors block deployment (the unnamed, unconnected task); the server would refuse it too.
    page.on('dialog', (d) => void d.accept());
    await page.locator('#modeler-deploy').click();
    await expect.poll(() => page.locator('.messages').textContent()).toContain('改正后才能部署');

    const fixed = edited.replace('<bpmn:task id="archive" />', '');
    await page.locator('#modeler-file').setInputFiles({ name: 'fixed.bpmn', mimeType: 'application/xml', buffer: Buffer.from(fixed.replace(/<bpmndi:BPMNShape id="s_archive"[^]*?<\/bpmndi:BPMNShape>/, '')) });
    await expect.poll(() => page.locator('#modeler-problems').textContent()).toContain('没有发现问题');
    await page.locator('#modeler-deploy').click();
    await expect.poll(() => page.locator('.messages').textContent(), { timeout: 30_000 }).toContain('已部署：web-inbox-answer 第 2 版');
    await expect.poll(() => page.locator('#modeler-diff').textContent()).toContain('与已部署版本相同');
    await shot(page, 'modeler-deployed');
    const audit: { entity_id: string; sha256: string }[] = await system.services.db.query(
      `SELECT entity_id, sha256 FROM audit_log WHERE action = 'process.deploy' AND entity_id = 'web-inbox-answer:2' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when the admin and the auditor open users and the audit log, then they see the accounts and the deployment', async () => {
    const page = await openPage();
    await login(page, users.admin.username, '/admin/users');
    await page.locator('#users-table').waitFor();
    await page.locator('#user-create-card summary').click();
    await page.getByLabel('用户名').fill('Bad Name');
    await page.getByRole('button', { name: '创建用户' }).click();
    await expect.poll(() => page.locator('#user-create .alert-error').textContent()).toContain('输入有误');
    expect(await page.locator('#user-create .problems').textContent()).toContain('用户名');
    await shot(page, 'users');

    const auditor = await openPage();
    // Without tasks, 下一步 says what the role looks at.
    await login(auditor, users.auditor.username);
    expect(await auditor.locator('#home-next').textContent()).toBe('下一步：可查阅全部操作的审计记录，审计日志');
    await auditor.locator('#home-next a').click();
    await auditor.locator('#audit-table tbody tr').first().waitFor();
    await expect.poll(() => auditor.locator('#audit-table').textContent()).toContain('部署流程');
    expect(await auditor.locator('#audit-table').textContent()).toContain('办结待办');
    await shot(auditor, 'audit');
  });

  it('when the unit filters its inbox to overdue, saves the filter, comments and attaches a PDF, then the office urges the task once', async () => {
    const page = await openPage();
    await login(page, users.rsj.username, '/inbox');
    await page.locator('#inbox-light').selectOption('red');
    await expect.poll(() => attrs(page, '#inbox-table tbody tr', 'data-task-key')).toEqual([tasks.red]);
    await page.locator('#filter-name').fill('只看逾期');
    await page.getByRole('button', { name: '保存当前筛选' }).click();
    await page.locator('#saved-filters a', { hasText: '只看逾期' }).waitFor();
    await shot(page, 'inbox-filters');

    await page.goto(`${system.baseUrl}/#/tasks/${tasks.red}`);
    await page.locator('#comment-body').fill('已联系项目负责人，明日报送');
    await page.getByRole('button', { name: '发表意见' }).click();
    await expect.poll(() => page.locator('#task-comments').textContent()).toContain('已联系项目负责人，明日报送');
    await page.locator('#attachment-file').setInputFiles({ name: '清欠台账.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    await page.getByRole('button', { name: '上传附件' }).click();
    await expect.poll(() => page.locator('#task-attachments').textContent()).toContain('清欠台账.pdf');
    await shot(page, 'task-collaboration');

    const office = await openPage();
    await login(office, users.office.username, '/urge');
    const row = office.locator(`#urge-table tr[data-task-key="${tasks.red}"]`);
    await row.locator('input[type=checkbox]').check();
    await office.locator('#urge-selected').click();
    await expect.poll(() => office.locator('.messages').textContent()).toContain('已催办 1 件');
    await shot(office, 'urge');
    await office.locator('#urge-selected').click();
    await expect.poll(() => office.locator('.messages').textContent()).toContain('今天已催办');
  });

  it('when the admin opens units and settings, then the units are editable and the effective durations and scoring are listed in Chinese', async () => {
    const page = await openPage();
    await login(page, users.admin.username, '/admin/units');
    await page.locator('#units-table tr[data-unit="rsj"]').waitFor();
    expect(await page.locator('#units-table tr[data-unit="rsj"] input[type=email]').first().inputValue()).toBe('rsj@tanghe.gov.example');
    await shot(page, 'admin-units');
    await page.goto(`${system.baseUrl}/#/admin/settings`);
    await expect.poll(() => page.locator('#settings-loop').textContent()).toContain('催办后黄牌（工作日）');
    expect(await page.locator('#settings-scoring').textContent()).toContain('被约谈');
    await shot(page, 'admin-settings');
  });

  it('when every screen rendered, then the browser reported no script errors', () => {
    expect(session.errors).toEqual([]);
  });
});
