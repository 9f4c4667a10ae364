import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowser, type BrowserSession } from '../support/browser.ts';
import { uniqueSerialPrefix } from '../support/case-numbers.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser } from '../support/users.ts';

/** The 数据导入 screen shows which months of which townships have case data (issue 17 rule 10), in Chinese. */
describe('coverage grid on the 数据导入 screen', () => {
  let system: TestSystem;
  let session: BrowserSession;
  let court = '';

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false });
    court = (await createTestUser(system.services, ['court_analyst'], 'court')).username;
    session = await startBrowser(() => system.baseUrl);
  });
  afterAll(async () => {
    await session?.close();
    await system?.stop();
  });

  it('when the court imports a file of 2019 from the screen, then the grid of 2019 shows its months as 有, the month it stops in as 部分 and the rest as 无', async () => {
    const page = await session.openPage();
    await session.login(page, court, '/imports');
    const run = uniqueSerialPrefix();
    // 2 January to Wednesday 13 March 2019, 湖阳镇 only: 2019 is a year no other test's case data reaches.
    const rows = ['2019-01-02', '2019-02-18', '2019-03-13'].map((d, i) => `（2019）豫1328民初${run}${i}号,唐河县人民法院,民事,一审,民间借贷纠纷,${d},湖阳镇,自然人,自然人`);
    const file = ['案号,承办法院,案件类型,审判程序,案由,立案日期,乡镇(街道),原告(申请人)类型,被告(被申请人/被执行人)类型', ...rows].join('\n');
    await page.locator('#import-file').setInputFiles({ name: '2019年一季度.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await page.locator('#import-submit').click();
    await expect.poll(() => page.locator('#import-result').textContent(), { timeout: 30_000 }).toContain('导入完成');

    const year = page.locator('#coverage-grid details', { has: page.locator('summary', { hasText: '2019年' }) });
    // Older years are folded; this one may be the newest.
    await year.evaluate((details) => details.setAttribute('open', ''));
    const table = year.getByRole('table', { name: '2019年案件数据覆盖情况' });
    const cells = table.getByRole('row', { name: /^湖阳镇/ }).getByRole('cell');
    await expect.poll(() => cells.allTextContents()).toEqual(['有', '有', '部分', '无', '无', '无', '无', '无', '无', '无', '无', '无']);
    await expect.poll(() => table.getByRole('row', { name: /^源潭镇/ }).getByRole('cell').allTextContents()).toEqual(Array(12).fill('无'));
    expect(await table.locator('thead th').allTextContents()).toEqual(['乡镇（街道）', ...Array.from({ length: 12 }, (_, i) => `${i + 1}月`)]);
  });
});
