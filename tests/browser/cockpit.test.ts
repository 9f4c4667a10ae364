import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/services/actor.ts';
import { PHONE, startBrowser, type BrowserSession } from '../support/browser.ts';
import { computedRound } from '../support/case-data.ts';
import { storeUrgeNoticeFor } from '../support/documents.ts';
import { uniqueSuffix } from '../support/database.ts';
import { deployLoopDiagrams, ITEM_OPENING_TYPES, openItemProcess, startWorkersOf } from '../support/loop-instances.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser } from '../support/users.ts';

/**
 * 驾驶舱 → 溯源, 台账 and the public report in Chromium on real data: the leader opens the cockpit
 * of a computed round, picks the planted 民间借贷 cell, sees its level and history, follows the
 * trace to the notice it started; a township searches its items ledger; anyone reads the public
 * report without logging in. Screenshots at 1366×768 and phone width.
 */
describe('cockpit, trace, ledgers and public report in Chromium', () => {
  let system: TestSystem;
  let session: BrowserSession;
  const roundId = `W${uniqueSuffix()}-2025-H1`;
  const tag = uniqueSuffix();
  const users: Record<'leader' | 'qiyi', string> = {} as never;
  let documentId = '';
  let item: { id: string; businessKey: string };
  const instances: string[] = [];

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    const { services } = system;
    await computedRound(services, roundId);
    await services.notices.issue(systemActor, { roundId, departmentId: 'jrj', indicatorIds: ['B2'], dueDate: '2025-08-05T09:00:00Z' });
    item = await services.supervision.register(systemActor, {
      businessKey: `web:${tag}`,
      title: `祁仪镇矛盾纠纷排查化解${tag}`,
      sourceKind: 'meeting',
      sourceId: roundId,
      leadDepartmentId: 'town-qiyi',
      coDepartmentIds: [],
      requirements: '按期办结',
      deadline: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    });
    await services.db.query(`INSERT INTO effectiveness_evaluation (year, outcomes, published_at) VALUES (2998, $1, now())`, [
      JSON.stringify([{ indicatorId: 'B2', regionId: 'county', outcome: 'improved' }]),
    ]);
    documentId = await storeUrgeNoticeFor(services.db, { id: 'town-qiyi', name: '祁仪镇人民政府' });
    users.leader = (await createTestUser(services, ['leader'], 'zfw')).username;
    users.qiyi = (await createTestUser(services, ['department'], 'town-qiyi')).username;
    session = await startBrowser(() => system.baseUrl);
  });

  afterAll(async () => {
    for (const key of instances) await system?.engine.cancelProcessInstance(key).catch(() => undefined);
    await session?.close();
    await system?.stop();
  });

  it('when the leader picks the planted 民间借贷 cell, then its level and history show and the trace leads to the notice', async () => {
    const page = await session.openPage();
    await session.login(page, users.leader, `/cockpit?roundId=${roundId}`);
    // The round asked for survives the login.
    await expect.poll(() => page.locator('#cockpit-round').inputValue()).toBe(roundId);
    const cell = page.locator('[data-cell="B2:county"]');
    await cell.waitFor();
    expect(['高', '极高']).toContain((await cell.textContent())?.trim());
    expect(await page.locator('#heat-grid thead th').count()).toBe(25);
    await page.locator('#cockpit-levels canvas').first().waitFor();
    await session.shot(page, 'cockpit');
    await cell.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#cockpit-detail h2').textContent()).toContain('B2');
    await expect.poll(() => page.locator('#cockpit-detail canvas').first().getAttribute('width'), { timeout: 15_000 }).toMatch(/^[1-9]/);
    await session.shot(page, 'cockpit-detail');
    await page.locator('#cockpit-trace').click();
    await page.locator('#trace-chain').waitFor();
    expect(await page.locator('#trace-chain > li').evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')))).toEqual(['indicator', 'notice']);
    await expect.poll(() => page.locator('#trace-chain').textContent()).toContain('地方金融');
    await session.shot(page, 'trace');
  });

  it('when the leader tries a stricter guard on B2 for the round, then the page shows which units would no longer get a notice', async () => {
    const page = await session.openPage();
    await session.login(page, users.leader, '/admin/indicators');
    await page.locator('tr[data-indicator="B2"] button').click();
    await page.locator('#whatif-round').selectOption(roundId);
    await page.locator('#whatif-change').fill(JSON.stringify({ minN: 100000, floors: [] }));
    await page.getByRole('button', { name: '试算' }).click();
    await expect.poll(() => page.locator('#whatif-result').textContent()).toContain('调整前发函');
    expect(await page.locator('#definition-json').getAttribute('readonly')).not.toBeNull();
    await session.shot(page, 'indicators-what-if');
  });

  it('when the court runs 复算核对 on the round, then the page answers in one sentence whether the stored figures were reproduced and whether the data changed', async () => {
    const court = (await createTestUser(system.services, ['court_analyst'], 'court')).username;
    const page = await session.openPage();
    await session.login(page, court, '/admin/indicators');
    await page.locator('#verify-round').selectOption(roundId);
    await page.getByRole('button', { name: '复算核对' }).click();
    // Other files of this project may import cases meanwhile: either answer is exact about it.
    await expect.poll(() => page.locator('#verify-result [role="status"]').textContent(), { timeout: 30_000 }).toMatch(/^(复算结果与存档一致：|本期涉及的数据在计算后有过变化)/);
    expect(await system.services.db.query(`SELECT 1 FROM audit_log WHERE action = 'indicator_run.verify' AND after->>'roundId' = $1`, [roundId])).toHaveLength(1);
  });

  it('when the leader opens a supervision item on 红牌 in the monitor, then the diagram and the side panel say 红牌', async () => {
    // The item's real process, opened up to the township's 签收 inside handling, then carded red.
    await deployLoopDiagrams(system, ['supervision-item']);
    const openers = startWorkersOf(system, ITEM_OPENING_TYPES);
    const instance = await openItemProcess(system, item).finally(() => openers.stop());
    instances.push(instance);
    expect(await system.services.supervision.escalate(systemActor, item.id, 'red_card', `red_card:${item.id}:cockpit`)).toBe(true);
    const page = await session.openPage();
    await session.login(page, users.leader, `/monitor/${instance}`);
    await page.locator('.rl-business').waitFor();
    expect(await page.locator('.rl-business').textContent()).toBe('红牌');
    // On the handling the instance is in, where the township's 签收 waits.
    await page.locator('.djs-element.rl-active[data-element-id="handling"]').waitFor();
    await page.locator('.djs-element.rl-active[data-element-id="sign"]').waitFor();
    expect(await page.locator('#instance-business').textContent()).toContain('祁仪镇人民政府');
    await session.shot(page, 'monitor-business');
  });

  it('when a township searches its items ledger, then only its matching item is listed and the export keeps the search', async () => {
    const page = await session.openPage();
    await session.login(page, users.qiyi, '/ledgers/items');
    await page.locator('#ledger-q').fill(tag);
    await page.getByRole('button', { name: '搜索' }).click();
    await expect.poll(() => page.locator('#ledger-table tbody tr').count()).toBe(1);
    expect(await page.locator('#ledger-table tbody').textContent()).toContain(`祁仪镇矛盾纠纷排查化解${tag}`);
    expect(await page.locator('#ledger-export').getAttribute('href')).toBe(`/api/ledgers/items/export?q=${tag}`);
    await session.shot(page, 'ledgers');
    const phone = await session.openPage(PHONE);
    await session.login(phone, users.qiyi, '/cockpit');
    await phone.locator('#cockpit-counts').waitFor();
    await session.shot(phone, 'cockpit-phone');
  });

  it('when a township opens its documents, then the unread 催办通知书 opens with its text and is marked read', async () => {
    const page = await session.openPage();
    await session.login(page, users.qiyi, '/documents?unread=true');
    const row = page.locator(`tr[data-document-id="${documentId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('未读');
    await session.shot(page, 'documents');
    await row.getByRole('link').click();
    await expect.poll(() => page.locator('#document-text').textContent()).toContain('催办');
    await page.goto(`${system.baseUrl}/#/documents`);
    await expect.poll(() => page.locator(`tr[data-document-id="${documentId}"]`).textContent()).toContain('已读');
  });

  it('when someone without a login opens the public report, then the published year shows with its chart', async () => {
    const page = await session.openPage();
    await page.goto(`${system.baseUrl}/#/public`);
    await page.locator('#public-counts').waitFor();
    expect(await page.locator('h1').textContent()).toMatch(/^唐河县 \d{4} 年度社会治理风险防控工作报告$/);
    await expect.poll(() => page.locator('#public-outcomes canvas').first().getAttribute('width'), { timeout: 15_000 }).toMatch(/^[1-9]/);
    expect(await page.locator('.topbar').count()).toBe(0);
    await session.shot(page, 'public-report');
  });

  it('when every screen rendered, then the browser reported no script errors', () => {
    expect(session.errors).toEqual([]);
  });
});
