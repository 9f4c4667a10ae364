import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowser, type BrowserSession } from '../support/browser.ts';
import { uniqueSuffix } from '../support/database.ts';
import { webappLoginPage } from '../support/engine-doors.ts';
import { testEngineAddress } from '../support/engine.ts';
import { ENGINE_ADMIN_USER } from '../../src/engine/client.ts';

/**
 * Operaton's own webapps (Tasklist, Cockpit, Admin under /operaton/) in Chromium with a Chinese
 * browser in Beijing time: the engine application ships zh.json and config.js overrides
 * (src/engine/operaton/src/main/resources/META-INF/resources/webjars/operaton/app/*), so the
 * login page, Tasklist with an open task, Cockpit's dashboard and Admin's users speak Chinese and
 * carry the product name. Logs in as the engine's admin user (global-setup-engine's password).
 */
const ADMIN = { user: ENGINE_ADMIN_USER, password: 'test-admin-password' };
const PRODUCT = '唐河县社会治理风险闭环管理平台';

/** The one browser global the checks call (the project's types have no DOM library). */
interface BrowserWindow {
  getComputedStyle(element: unknown, pseudo: string): { content: string };
}

describe('Operaton webapps in Chinese in Chromium', () => {
  const engine = testEngineAddress();
  const webapps = `${engine.restAddress}/operaton/app`;
  const tag = uniqueSuffix();
  const processKey = `webappsZh${tag.replace(/[^A-Za-z0-9]/g, '')}`;
  const taskName = `审核风险提示函反馈意见${tag}`;
  let session: BrowserSession;
  let instanceId = '';
  const due = new Date(Date.now() + 2 * 86_400_000 + 3_600_000);
  const beijingParts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(due);

  const rest = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const auth = Buffer.from(`${engine.credentials?.user}:${engine.credentials?.password}`).toString('base64');
    const res = await fetch(`${engine.restAddress}/engine-rest${path}`, { ...init, headers: { Authorization: `Basic ${auth}`, ...init.headers } });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return res;
  };

  /** One user task for the admin, due in two days, so Tasklist shows a task with Chinese dates. */
  const startTask = async () => {
    const bpmn = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" targetNamespace="riskloop-test">
  <process id="${processKey}" name="风险提示函反馈（界面测试）" isExecutable="true" camunda:historyTimeToLive="1">
    <startEvent id="start"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <userTask id="review" name="${taskName}" camunda:assignee="${ADMIN.user}" camunda:dueDate="\${dueDate}" camunda:priority="60"/>
    <sequenceFlow id="f2" sourceRef="review" targetRef="end"/>
    <endEvent id="end"/>
  </process>
  <bpmndi:BPMNDiagram id="diagram">
    <bpmndi:BPMNPlane id="plane" bpmnElement="${processKey}">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36"/></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="review_di" bpmnElement="review"><dc:Bounds x="200" y="78" width="160" height="80"/></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="430" y="100" width="36" height="36"/></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118"/><di:waypoint x="200" y="118"/></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="360" y="118"/><di:waypoint x="430" y="118"/></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</definitions>`;
    const form = new FormData();
    form.set('deployment-name', processKey);
    form.set('deployment-source', 'engine-webapps.test');
    form.set('data', new Blob([bpmn], { type: 'application/xml' }), `${processKey}.bpmn`);
    await rest('/deployment/create', { method: 'POST', body: form });
    const dueDate = due.toISOString().replace('Z', '+0000');
    const started = await rest(`/process-definition/key/${processKey}/start`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ businessKey: `webapps-zh:${tag}`, variables: { dueDate: { value: dueDate, type: 'Date' } } }),
    });
    instanceId = ((await started.json()) as { id: string }).id;
  };

  const logIn = (page: Page, app: 'tasklist' | 'cockpit' | 'admin') => webappLoginPage(page, app, ADMIN.user, ADMIN.password);

  beforeAll(async () => {
    await startTask();
    session = await startBrowser(() => webapps);
  });

  afterAll(async () => {
    if (instanceId) await rest(`/process-instance/${instanceId}?skipCustomListeners=true`, { method: 'DELETE' }).catch(() => undefined);
    await session?.close();
  });

  it('when a Chinese browser opens Tasklist, then the login page is Chinese and the title carries the product name', async () => {
    const page = await session.openPage();
    await page.goto(`${webapps}/tasklist/default/`);
    await page.getByRole('button', { name: '登录' }).waitFor();
    expect(await page.getByPlaceholder('用户名').count()).toBe(1);
    expect(await page.getByPlaceholder('密码').count()).toBe(1);
    expect((await page.locator('.login-header .app-name').textContent())?.trim()).toBe('任务办理');
    // user-styles.css puts the product name above the app's name (the logo stays Operaton's).
    expect(await page.locator('.login-header .app-name').evaluate((e) => (globalThis as unknown as BrowserWindow).getComputedStyle(e, '::before').content)).toBe(`"${PRODUCT}"`);
    await expect.poll(() => page.title()).toBe(`${PRODUCT} 任务办理`);
    await session.shot(page, 'engine-tasklist-login');
  });

  it('when the admin logs into Tasklist, then the header, filters, task list and task view are Chinese with Beijing dates', async () => {
    const page = await session.openPage();
    await logIn(page, 'tasklist');
    expect((await page.locator('.brand-name').textContent())?.trim()).toBe(`${PRODUCT} 任务办理`);
    await page.getByText('发起流程').first().waitFor();
    await page.getByText('新建任务').first().waitFor();
    await page.getByText('请在列表中选择一个任务。').waitFor();
    await page.getByText(taskName).first().click();
    // The task view: its tabs, the claim/assignee line and the due date in Chinese.
    for (const tab of ['表单', '办理记录', '流程图', '说明']) await page.locator('.nav-tabs').getByText(tab, { exact: true }).first().waitFor();
    await page.getByText('设置跟进日期').first().waitFor();
    await session.shot(page, 'engine-tasklist');
    // The open task's due date (the list beside it shows other tests' tasks): relative in the text, in full
    // (moment's zh locale from zh.json, Beijing time) in its tooltip.
    const dueText = page.locator('[cam-tasklist-task-meta] [am-time-ago="task.due"][uib-tooltip]');
    expect((await dueText.textContent())?.trim()).toBe('2 天后');
    const part = (type: string) => beijingParts.find((p) => p.type === type)?.value;
    expect(await dueText.getAttribute('uib-tooltip')).toBe(
      `${part('year')}年${Number(part('month'))}月${Number(part('day'))}日${part('weekday')} ${part('hour')}:${part('minute')}`,
    );
    const body = await page.locator('body').innerText();
    expect(body).not.toMatch(/\b(Claim|Unclaim|Set follow-up date|Set due date|Start process|Create task|Add groups|Select a task)\b/);
  });

  it("when the admin opens Cockpit, then its dashboard, the processes and an instance's view are Chinese", async () => {
    const page = await session.openPage();
    await logIn(page, 'cockpit');
    expect((await page.locator('.brand-name').textContent())?.trim()).toBe(`${PRODUCT} 流程监控`);
    await page.getByText('运行中的流程实例').first().waitFor();
    await page.getByText('未处理的故障').first().waitFor();
    await page.getByText('已部署').first().waitFor();
    await session.shot(page, 'engine-cockpit');
    const nav = await page.locator('[cam-widget-header]').innerText();
    for (const entry of ['流程', '决策', '人工任务']) expect(nav).toContain(entry);
    expect(await page.locator('.page-wrap, .ctn-main, body').first().innerText()).not.toMatch(/\b(Running|Incidents|Deployed|Processes|Decisions)\b/);
    await page.goto(`${webapps}/cockpit/default/#/processes`);
    await page.getByText('流程定义').first().waitFor();
    await page.getByText('风险提示函反馈（界面测试）').first().waitFor();
    // The instance's view: its details, the variables tab and the user task with its assignee.
    await page.goto(`${webapps}/cockpit/default/#/process-instance/${instanceId}/runtime`);
    await page.getByText('业务标识：').first().waitFor();
    await page.getByText(`webapps-zh:${tag}`).first().waitFor();
    for (const tab of ['变量', '故障', '用户任务']) await page.locator('.nav-tabs, .ctn-tabbed-content').getByText(tab, { exact: true }).first().waitFor();
    await page.locator('.djs-element[data-element-id="review"]').first().waitFor();
    await page.getByText('dueDate', { exact: true }).first().waitFor();
    // The variables table's "Actions" comes from the widget's template: user-styles.css shows 操作.
    const actions = page.locator('.cam-table > thead td.actions').first();
    expect(await actions.evaluate((e) => (globalThis as unknown as BrowserWindow).getComputedStyle(e, '::before').content)).toBe('"操作"');
    await session.shot(page, 'engine-cockpit-instance');
  });

  it('when the admin opens Admin, then the users page is Chinese', async () => {
    const page = await session.openPage();
    await logIn(page, 'admin');
    expect((await page.locator('.brand-name').textContent())?.trim()).toBe(`${PRODUCT} 系统管理`);
    await page.goto(`${webapps}/admin/default/#/users`);
    await page.getByText('用户列表').first().waitFor();
    await page.getByText('添加用户').first().waitFor();
    await page.getByText(ADMIN.user, { exact: true }).first().waitFor();
    await session.shot(page, 'engine-admin-users');
    const nav = await page.locator('[cam-widget-header]').innerText();
    for (const entry of ['用户', '组', '授权']) expect(nav).toContain(entry);
  });

  it('when every page rendered, then the browser reported no script errors', () => {
    expect(session.errors).toEqual([]);
  });
});
