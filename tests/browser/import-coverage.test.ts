import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importTemplate } from '../../src/domain/cases/import-templates.ts';
import { startBrowser, type BrowserSession } from '../support/browser.ts';
import { latinWordsOn } from '../support/latin-words.ts';
import { caseNumbersOf, uniqueSerialPrefix } from '../support/case-numbers.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser } from '../support/users.ts';

/**
 * The 数据导入 screen: which months of which townships have case data (issue 17 rule 10), and the
 * templates and column guide of each data kind (issue 21 point 10), in Chinese.
 */
describe('the 数据导入 screen', () => {
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

  it('when the court picks a data kind, then its column guide is shown and its XLSX and CSV templates download under Chinese names', async () => {
    const page = await session.openPage();
    await session.login(page, court, '/imports');
    const guide = page.locator('#import-template');
    // The guide counts the importer's own column list; 9 of them are required (DOMAIN.md).
    const caseColumns = importTemplate('cases').columns.length;
    expect(caseColumns).toBeGreaterThan(20);
    await expect.poll(() => guide.locator('summary').textContent()).toBe(`列说明（${caseColumns} 列，必填 9 列）`);
    const xlsx = page.waitForEvent('download');
    await guide.locator('[data-template="xlsx"]').click();
    expect((await xlsx).suggestedFilename()).toBe('案件数据导入模板.xlsx');

    await page.locator('#import-kind').selectOption('signals');
    await expect.poll(() => guide.locator('summary').textContent()).toBe('列说明（4 列，必填 4 列）');
    await guide.locator('summary').click();
    expect(await guide.getByRole('table', { name: '乡镇信访舆情列说明' }).locator('tbody th').allTextContents()).toEqual(['乡镇', '月份', '信访件数', '舆情条数']);
    const csv = page.waitForEvent('download');
    await guide.locator('[data-template="csv"]').click();
    const download = await csv;
    expect(download.suggestedFilename()).toBe('乡镇信访舆情导入模板.csv');
    expect((await readFile((await download.path())!, 'utf8')).split('\n')[0]).toBe('\uFEFF乡镇,月份,信访件数,舆情条数');
  });
  it('when an export names a 案由 the catalogue lacks, then the screen refuses its line; once the court uploads that cause as 案由目录, the same export is imported (issue 17 rule 5)', async () => {
    const page = await session.openPage();
    await session.login(page, court, '/imports');
    const run = uniqueSerialPrefix();
    // The 2011 catalogue's name, still in older exports; filed in 2007, a year no other test's case data reaches.
    const cause = '网络购物合同纠纷';
    const cases = Buffer.from(['案号,承办法院,案件类型,审判程序,案由,立案日期,乡镇(街道),原告(申请人)类型,被告(被申请人/被执行人)类型', `（2007）豫1328民初${run}1号,唐河县人民法院,民事,一审,${cause},2007-05-08,湖阳镇,自然人,企业`].join('\n'));
    const upload = async (kind: string, name: string, buffer: Buffer) => {
      await page.locator('#import-kind').selectOption(kind);
      await page.locator('#import-file').setInputFiles({ name, mimeType: 'text/csv', buffer });
      await page.locator('#import-submit').click();
    };
    await upload('cases', '2007年案件.csv', cases);
    await expect.poll(() => page.locator('#main .problems li').allTextContents()).toEqual([
      '文件：共 1 行有误，未导入任何数据',
      `第2行·案由：案由不在案由目录中：${cause}（应为《民事案件案由规定》的案由、罪名或被诉行政行为的种类，按规范名称填写；目录中没有的案由，由法院数据组在数据导入页导入「案由目录」后再导入本文件）`,
    ]);
    // The screen offers the catalogue as it stands, to extend rather than rewrite.
    await page.locator('#import-kind').selectOption('causes');
    const current = page.waitForEvent('download');
    await page.locator('#cause-catalogue').click();
    const catalogue = await readFile((await (await current).path())!, 'utf8');
    expect(catalogue.split('\n')[0]).toBe('\uFEFF案由,类别');
    expect(catalogue).not.toContain(cause);
    await upload('causes', '案由目录.csv', Buffer.from(`${catalogue.trimEnd()}\n${cause},民事`));
    await expect.poll(() => page.locator('#import-result').textContent(), { timeout: 30_000 }).toContain('导入完成');
    await upload('cases', '2007年案件.csv', cases);
    const stored = () => system.services.db.query(`SELECT cause FROM case_record WHERE case_no ~ $1`, [caseNumbersOf(run)]);
    await expect.poll(stored, { timeout: 30_000 }).toEqual([{ cause }]);
    // The rows are committed before the answer reaches the screen.
    await expect.poll(() => page.locator('#import-result').textContent()).toContain('导入完成');
  });

  it('when the court uploads a broken JSON file, then the refusal names the file in Chinese, not its field name', async () => {
    const page = await session.openPage();
    await session.login(page, court, '/imports');
    await page.locator('#import-file').setInputFiles({ name: '案件.json', mimeType: 'application/json', buffer: Buffer.from('[{"case_no": ') });
    await page.locator('#import-submit').click();
    await expect.poll(() => page.locator('#main .problems').first().textContent()).toBe('文件：JSON 格式错误，无法解析');
    // The file's own name is the clerk's data, shown beside the picker.
    expect(await latinWordsOn(page, [court, '案件.json'])).toEqual([]);
  });

  it('when the court uploads a one-line file of another kind as 信访舆情, then the refusal counts one line, lists each of its problems and points to the template on the screen (issue 21 point 10)', async () => {
    const page = await session.openPage();
    await session.login(page, court, '/imports');
    await page.locator('#import-kind').selectOption('signals');
    await page.locator('#import-file').setInputFiles({ name: '乡镇人口.csv', mimeType: 'text/csv', buffer: Buffer.from('乡镇(街道),年度,常住人口') });
    await page.locator('#import-submit').click();
    const problems = page.locator('#main .problems li');
    await expect.poll(() => problems.count()).toBe(6);
    expect(await problems.allTextContents()).toEqual([
      '文件：共 1 行有误，未导入任何数据',
      '第1行·年度：无法识别的列名（请使用「乡镇信访舆情导入模板」中的中文或英文列名，模板可在数据导入页下载）',
      '第1行·常住人口：无法识别的列名（请使用「乡镇信访舆情导入模板」中的中文或英文列名，模板可在数据导入页下载）',
      '第1行·月份：缺少必填列（见「乡镇信访舆情导入模板」）',
      '第1行·信访件数：缺少必填列（见「乡镇信访舆情导入模板」）',
      '第1行·舆情条数：缺少必填列（见「乡镇信访舆情导入模板」）',
    ]);
    // The template the refusal names is the one the screen offers for the chosen kind.
    expect(await page.locator('#import-template').textContent()).toContain('乡镇信访舆情导入模板');
    expect(await latinWordsOn(page, [court, '乡镇人口.csv'])).toEqual([]);
  });
});
