import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, startBrowser, type BrowserSession } from '../support/browser.ts';
import { deployLoopDiagrams } from '../support/loop-instances.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser } from '../support/users.ts';

/**
 * 专题分析 in Chromium (第六条, issue 19 point 5): a court analyst composes a topic — 民间借贷 in two
 * towns over two half years — first without a name (a Chinese field error, nothing starts), then
 * whole; the topic is listed as computing and its round's process runs. A leader sees the list
 * and no form; on a phone the screen does not scroll sideways.
 */
describe('专题分析 screen', () => {
  let system: TestSystem;
  let session: BrowserSession;
  const users: Record<'court' | 'leader', string> = {} as never;

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    await deployLoopDiagrams(system, ['assessment-round']);
    users.court = (await createTestUser(system.services, ['court_analyst'], 'court')).username;
    users.leader = (await createTestUser(system.services, ['leader'], 'zfw')).username;
    session = await startBrowser(() => system.baseUrl);
  });

  afterAll(async () => {
    const rows = (await system?.services.db.query<{ process_instance_key: string | null }[]>(`SELECT process_instance_key FROM assessment_round WHERE topic IS NOT NULL`)) ?? [];
    for (const r of rows) if (r.process_instance_key) await system.engine.cancelProcessInstance(r.process_instance_key).catch(() => undefined);
    await session?.close();
    await system?.stop();
  });

  it('when the court composes a topic, then a missing name is refused in Chinese and the whole one is listed as computing', async () => {
    const page = await session.openPage();
    await session.login(page, users.court, '/topics');
    await page.locator('#topic-card').waitFor();
    await page.getByLabel('B2 民间借贷纠纷').check();
    await page.getByLabel('源潭镇', { exact: true }).check();
    await page.getByLabel('张店镇', { exact: true }).check();
    await page.getByLabel('期间类型').selectOption('half_year');
    await page.getByLabel('2024年').check();
    await page.getByLabel('2025年').check();
    await page.locator('#topic-submit').click();
    await expect.poll(() => page.locator('#topic-card .messages').textContent()).toContain('专题名称：请填写专题名称（至少 2 个字）');
    expect(await system.services.db.query(`SELECT id FROM assessment_round WHERE topic IS NOT NULL`)).toEqual([]);

    await page.getByLabel('专题名称').fill('民间借贷纠纷');
    await page.locator('#topic-submit').click();
    const row = page.locator('#topic-list tr[data-topic]');
    await row.first().waitFor();
    const [topic] = await system.services.db.query<{ id: string; topic: { townshipIds: string[]; periods: unknown[] }; composed_by: string }[]>(
      `SELECT id, topic, composed_by FROM assessment_round WHERE topic IS NOT NULL`,
    );
    expect(topic!.topic.townshipIds).toEqual(['town-yuantan', 'town-zhangdian']);
    expect(topic!.topic.periods).toEqual([
      { kind: 'half_year', year: 2024 },
      { kind: 'half_year', year: 2025 },
    ]);
    const cells = await row.first().locator('td').allTextContents();
    expect(cells.slice(0, 4)).toEqual([topic!.id, '民间借贷纠纷', 'B2；源潭镇人民政府、张店镇人民政府；2024年上半年、2025年上半年', '计算中']);
    // The round's process took the start: it waits for its indicators.
    const [{ n }] = await system.services.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM engine_process_instance WHERE business_key = $1 AND bpmn_process_id = 'assessment-round'`,
      [topic!.id],
    );
    expect(n).toBe(1);
    await session.shot(page, 'topics');
  });

  it('when a leader opens 专题分析 on a phone, then it lists the topics without a form and fits the screen', async () => {
    const phone = await session.openPage(PHONE);
    await session.login(phone, users.leader, '/topics');
    await phone.locator('#topic-list tr[data-topic]').first().waitFor();
    expect(await phone.locator('#topic-card').count()).toBe(0);
    expect(await phone.locator('html').evaluate((e) => e.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await session.shot(phone, 'topics-phone');
  });
});
