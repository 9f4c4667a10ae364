import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowser, type BrowserSession } from '../support/browser.ts';
import { deployLoopDiagrams } from '../support/loop-instances.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser } from '../support/users.ts';

/**
 * 第九、十四条 in Chromium: the office calls an ad-hoc 督办事项专报 and the convener an ad-hoc 联席会议
 * from their home pages, with the reason on record; a form without a reason is refused in Chinese;
 * a unit has no such card. The starts reach the real engine (one instance each).
 */
describe('ad-hoc meeting and 专报 from the home page', () => {
  let system: TestSystem;
  let session: BrowserSession;
  const users: Record<'office' | 'leader' | 'unit', string> = {} as never;
  const adhocInstances = (processId: string) =>
    system.services.db.query<{ key: string }[]>(
      `SELECT key::text FROM engine_process_instance WHERE bpmn_process_id = $1 AND business_key LIKE 'adhoc-%' AND state = 'ACTIVE'`,
      [processId],
    );

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    await deployLoopDiagrams(system, ['joint-meeting', 'supervision-bulletin']);
    users.office = (await createTestUser(system.services, ['peace_office'], 'pab')).username;
    users.leader = (await createTestUser(system.services, ['leader'], 'zfw')).username;
    users.unit = (await createTestUser(system.services, ['department'], 'jrj')).username;
    session = await startBrowser(() => system.baseUrl);
  });

  afterAll(async () => {
    for (const processId of ['joint-meeting', 'supervision-bulletin']) {
      for (const i of (await adhocInstances(processId).catch(() => [])) ?? []) await system.engine.cancelProcessInstance(i.key).catch(() => undefined);
    }
    await session?.close();
    await system?.stop();
  });

  it('when the office starts a 专报 without a reason, then it is refused in Chinese; with one, then one 专报 runs and the start is audited', async () => {
    const before = (await adhocInstances('supervision-bulletin')).length;
    const page = await session.openPage();
    await session.login(page, users.office);
    await page.locator('#adhoc-bulletin-start').click();
    await expect.poll(() => page.locator('#adhoc-bulletin-result').textContent()).toContain('事由：请说明事由');
    await page.locator('#adhoc-bulletin-reason').fill('领导要求专报红牌事项');
    await page.locator('#adhoc-bulletin-start').click();
    await expect.poll(() => page.locator('#adhoc-bulletin-result').textContent()).toBe('已发起督办事项专报：汇编完成后，“平安办审核专报”的待办将出现在待办中。');
    expect(await page.locator('#adhoc-bulletin-reason').inputValue()).toBe('');
    const started = await adhocInstances('supervision-bulletin');
    expect(started).toHaveLength(before + 1);
    const [audit] = await system.services.db.query<{ actor_name: string; after: { reason: string } }[]>(`SELECT actor_name, after FROM audit_log WHERE action = 'bulletin.start' ORDER BY id DESC LIMIT 1`);
    expect(audit).toEqual({ actor_name: users.office, after: { kind: 'adhoc', reason: '领导要求专报红牌事项' } });
    await session.shot(page, 'home-adhoc-start');
  });

  it('when a leader opens the home page, then it may call a meeting but not a 专报, and the meeting starts', async () => {
    const page = await session.openPage();
    await session.login(page, users.leader);
    await page.locator('#home-adhoc').waitFor();
    expect(await page.locator('#adhoc-bulletin-start').count()).toBe(0);
    await page.locator('#adhoc-meeting-reason').fill('源潭镇民间借贷风险集中暴露，需临时研判');
    await page.locator('#adhoc-meeting-start').click();
    await expect.poll(() => page.locator('#adhoc-meeting-result').textContent()).toBe('已发起临时联席会议：议程生成后，“召开联席会议并记录会议纪要”的待办将交县委政法委和领导办理。');
    expect(await adhocInstances('joint-meeting')).toHaveLength(1);
  });

  it('when a unit opens the home page, then it has no ad-hoc card', async () => {
    const page = await session.openPage();
    await session.login(page, users.unit);
    await page.locator('#home-tasks').waitFor();
    expect(await page.locator('#home-adhoc').count()).toBe(0);
  });
});
