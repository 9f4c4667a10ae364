import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocalDate } from '../../src/domain/loop/working-days.ts';
import { systemActor } from '../../src/services/actor.ts';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import { PHONE, startBrowser, type BrowserSession } from '../support/browser.ts';
import { uniqueSuffix } from '../support/database.ts';
import { deployLoopDiagrams, ITEM_OPENING_TYPES, openedItem, startWorkersOf } from '../support/loop-instances.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser } from '../support/users.ts';

/**
 * 约谈与挂牌 in Chromium (第十五条): 张店镇's 舆情 of this month pass the line; the office sees the
 * prompt with its figures, waiting for a leader; the leader accepts it on the township's item and
 * the office's 安排约谈 opens; the leader then orders 挂牌督办 of 司法局's item, first without evidence
 * (a Chinese field error), then with it; both decisions are listed and both processes go on.
 */
describe('约谈与挂牌 screen', () => {
  let system: TestSystem;
  let session: BrowserSession;
  let workers: { stop(): Promise<void> } | null = null;
  const tag = uniqueSuffix();
  const month = toLocalDate(new Date()).slice(0, 7);
  const promptKey = `signals:town-zhangdian:${month}`;
  const users: Record<'leader' | 'office', string> = {} as never;
  const items: Record<'township' | 'sfj', { id: string; instance: string; title: string }> = {} as never;

  const openItem = (unit: string, title: string) => openedItem(system, { unit, title, deadline: new Date(Date.now() + 20 * 86_400_000) });

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    await deployLoopDiagrams(system, ['supervision-item', 'unit-interview']);
    workers = startWorkersOf(system, [...ITEM_OPENING_TYPES, 'compute-deadline', 'list-supervision-item', 'issue-interview-notice']);
    const csv = `乡镇,月份,信访件数,舆情条数\n张店镇,${month},2,4\n`;
    await system.services.imports.importSideTable(systemActor, 'signals', Readable.from([Buffer.from(csv)]), { fileName: 'signals.csv', format: 'csv' });
    items.township = await openItem('town-zhangdian', `化解张店镇征地补偿纠纷${tag}`);
    items.sfj = await openItem('sfj', `规范基层调解组织建设${tag}`);
    users.leader = (await createTestUser(system.services, ['leader'], 'zfw')).username;
    users.office = (await createTestUser(system.services, ['peace_office'], 'pab')).username;
    session = await startBrowser(() => system.baseUrl);
  });

  afterAll(async () => {
    await workers?.stop();
    for (const i of Object.values(items)) await system?.engine.cancelProcessInstance(i.instance).catch(() => undefined);
    const unitInterviews = (await system?.services.db.query<{ key: string }[]>(`SELECT key::text FROM engine_process_instance WHERE bpmn_process_id = 'unit-interview' AND state = 'ACTIVE'`)) ?? [];
    for (const u of unitInterviews) await system.engine.cancelProcessInstance(u.key).catch(() => undefined);
    await session?.close();
    await system?.stop();
  });

  it('when the office opens 约谈与挂牌, then it sees the township\'s prompt with the figures, waiting for a leader, and no order form', async () => {
    const page = await session.openPage();
    // The home page points to it.
    await session.login(page, users.office, '/');
    const card = page.locator('#home-escalation-prompts');
    await card.waitFor();
    expect(await card.locator('.stat').textContent()).toMatch(/^[1-9]\d*条建议待领导决定$/);
    await card.getByRole('link', { name: '约谈与挂牌' }).click();
    const prompt = page.locator(`li[data-prompt-key="${promptKey}"]`);
    await prompt.waitFor();
    expect(await prompt.textContent()).toBe(`张店镇人民政府：建议约谈主要负责人 群众反映强烈${month.slice(0, 4)}年${Number(month.slice(5))}月舆情 4 条（提示线 3 条）待领导决定`);
    expect(await page.locator('#escalation-order').count()).toBe(0);
    expect(await prompt.getByRole('button').count()).toBe(0);
  });

  it('when a leader accepts the prompt and then orders 挂牌督办 of another item, then a missing evidence is refused in Chinese, both decisions are listed and both items\' processes go on', async () => {
    const page = await session.openPage();
    await session.login(page, users.leader, '/escalations');
    const prompt = page.locator(`li[data-prompt-key="${promptKey}"]`);
    await prompt.waitFor();
    // Only the township's own item can take the prompt's 约谈 — or the township itself, without an item.
    expect(await prompt.locator('select option').allTextContents()).toEqual([expect.stringContaining(items.township.title), '不针对具体督办事项：约谈张店镇人民政府主要负责人']);
    await prompt.getByLabel('依据和事实').fill('本月舆情 4 条，集中反映征地补偿款发放迟缓');
    await prompt.getByRole('button', { name: '采纳：约谈主要负责人' }).click();
    await expect.poll(() => page.locator('.alert-success').first().textContent()).toBe('已决定约谈主要负责人：张店镇人民政府。该事项的流程将进入约谈主要负责人环节。');
    expect(await page.locator(`li[data-prompt-key="${promptKey}"]`).count()).toBe(0);
    await waitForOpenTask(system.services.db, items.township.instance, 'arrangeInterview');

    // A decision of the leader's own: 挂牌督办 takes only 挂牌's reasons.
    await page.getByLabel('督办事项', { exact: true }).selectOption(items.sfj.id);
    await page.getByLabel('决定事项').selectOption('listing');
    expect(await page.locator('#order-reason option').allTextContents()).toEqual(['平安建设工作落实不到位', '存在重大安全风险隐患']);
    await page.getByRole('button', { name: '下达决定' }).click();
    await expect.poll(() => page.locator('#escalation-order .alert-error').textContent()).toContain('依据和事实：请写明依据和事实');
    await page.locator('#order-evidence').fill('基层调解组织半数未按期换届，两次催办仍无进展');
    await page.getByRole('button', { name: '下达决定' }).click();
    await expect.poll(() => page.locator('.alert-success').first().textContent()).toBe(`已决定挂牌督办：唐河县司法局「${items.sfj.title}」。`);
    await waitForOpenTask(system.services.db, items.sfj.instance, 'listingPlan');

    const rows = page.locator('#escalation-decision-table tbody tr');
    const cells = async (selector: string) => page.locator(selector).locator('td').allTextContents();
    const [township] = await system.services.db.query<{ id: string }[]>(`SELECT id FROM escalation_order WHERE item_id = $1`, [items.township.id]);
    const [sfj] = await system.services.db.query<{ id: string }[]>(`SELECT id FROM escalation_order WHERE item_id = $1`, [items.sfj.id]);
    expect((await cells(`tr[data-order-id="${township!.id}"]`)).slice(1)).toEqual([
      '张店镇人民政府',
      '约谈主要负责人采纳数据提示',
      '群众反映强烈',
      expect.stringContaining(items.township.title),
      '本月舆情 4 条，集中反映征地补偿款发放迟缓',
      expect.stringMatching(/.+/),
    ]);
    expect((await cells(`tr[data-order-id="${sfj!.id}"]`)).slice(1, 4)).toEqual(['唐河县司法局', '挂牌督办', '平安建设工作落实不到位']);
    // The newest decision first.
    expect(await rows.first().getAttribute('data-order-id')).toBe(sfj!.id);

    // A 约谈 of a unit itself, no item of it named (第十五条).
    await page.getByLabel('被约谈单位').selectOption('town-heilong');
    await page.locator('#unit-interview-reason').selectOption('public_outcry');
    await page.locator('#unit-interview-evidence').fill('本月舆情 3 条，均反映集镇改造拆迁补偿');
    await page.getByRole('button', { name: '决定约谈' }).click();
    await expect.poll(() => page.locator('.alert-success').first().textContent()).toBe('已决定约谈黑龙镇人民政府主要负责人。平安办将安排约谈并发出约谈通知书。');
    const [heilong] = await system.services.db.query<{ id: string }[]>(`SELECT id FROM escalation_order WHERE item_id IS NULL AND department_id = 'town-heilong'`);
    // The screen loads its board again after the decision: wait for the new row.
    await expect.poll(async () => (await page.locator(`tr[data-order-id="${heilong!.id}"]`).locator('td').allTextContents()).slice(1, 5)).toEqual([
      '黑龙镇人民政府',
      '约谈主要负责人',
      '群众反映强烈',
      '（不针对具体督办事项）',
    ]);
    await session.shot(page, 'escalations');

    // On a phone the screen fits its width: the table's rows stack, nothing scrolls sideways.
    const phone = await session.openPage(PHONE);
    await session.login(phone, users.leader, '/escalations');
    await phone.locator('#escalation-decision-table').waitFor();
    expect(await phone.locator('html').evaluate((e) => e.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await session.shot(phone, 'escalations-phone');
  });

  it('when the office arranges the ordered 约谈 in its task form, then the leader\'s reason is already there and the numbered 约谈通知书 goes to the township', async () => {
    const task = await waitForOpenTask(system.services.db, items.township.instance, 'arrangeInterview');
    const page = await session.openPage();
    await session.login(page, users.office, `/tasks/${task}`);
    await page.locator('.fjs-form').waitFor();
    expect(await page.getByLabel('约谈事由').inputValue()).toBe('群众反映强烈：本月舆情 4 条，集中反映征地补偿款发放迟缓');
    const today = toLocalDate(new Date());
    await page.getByLabel('约谈日期').fill(today.replaceAll('-', '/'));
    await page.getByLabel('约谈日期').press('Enter');
    await page.getByLabel('约谈地点').fill('县委政法委三楼会议室');
    await page.getByLabel('约谈人员（每行一人，写职务）').fill('县委政法委副书记\n县平安办主任');
    await page.locator('#task-submit').click();
    await expect.poll(() => page.locator('.alert-success').first().textContent(), { timeout: 30_000 }).toContain('已提交');
    await waitForOpenTask(system.services.db, items.township.instance, 'interview');
    const [mail] = await system.services.db.query<{ recipients: string[]; subject: string; body: string }[]>(`SELECT recipients, subject, body FROM outbox WHERE dedup_key = $1`, [
      `document:interview-notice:${items.township.id}`,
    ]);
    expect(mail!.subject).toMatch(/^【约谈通知书】唐平约〔\d{4}〕第\d{3}号$/);
    expect(mail!.body).toContain('因群众反映强烈：本月舆情 4 条，集中反映征地补偿款发放迟缓，根据');
    expect(mail!.body).toContain('上午9:30');
  });
});
