import { describe, expect, it } from 'vitest';
import { FileNames, maskPersonalNumbers, parseRow, planHeader } from '../../src/domain/cases/rows.ts';

const key = (name: string, id: string) => `key(${name}|${id})`;
const context = { identityKey: key, today: '2026-12-04' };
const zh = ['案号', '承办法院', '案件类型', '审判程序', '案由', '立案日期', '结案日期', '乡镇(街道)', '原告(申请人)类型', '被告(被申请人/被执行人)类型', '是否上诉'];

describe('header plan', () => {
  it('accepts Chinese and English headers and plans identity columns apart', () => {
    const plan = planHeader([...zh.slice(0, 3), 'procedure', 'cause', 'filing_date', 'closing_date', 'township', 'plaintiff_types', 'defendant_types', '被告姓名', '被告身份证号', '手机']);
    expect(plan.problems).toEqual([]);
    expect(plan.identity).toEqual({ name: 10, idNumber: 11 });
    expect(plan.dropped).toEqual(['手机']);
  });
  it('names unknown, duplicate and missing columns', () => {
    expect(planHeader(['案号', '案号', '乱码列']).problems.map((p) => `${p.column}:${p.reason}`)).toEqual(
      expect.arrayContaining(['乱码列:无法识别的列名（请使用「案件数据导入模板」中的中文或英文列名，模板可在数据导入页下载）', '案号:列名重复', '立案日期:缺少必填列（见「案件数据导入模板」）']),
    );
  });
});

describe('row parsing', () => {
  const plan = planHeader(zh);
  const cells = ['（2025）豫1328民初1号', '唐河县人民法院', '民事', '一审', '民间借贷纠纷', '2025-03-01', '', '源潭镇', '自然人', '自然人|企业', '否'];
  it('parses types, townships, multi-values and booleans', () => {
    const parsed = parseRow(cells, 2, plan, context);
    expect(parsed).toMatchObject({ row: { township: 'town-yuantan', defendant_types: ['自然人', '企业'], appealed: false, closing_date: null }, masked: 0 });
  });
  it('reads each cell without the white space around it: spaces, tabs, line ends, the ideographic and the no-break space', () => {
    const spaced = [` ${cells[0]}\t`, `\u3000${cells[1]}\u3000`, `\u00a0民事`, '一审\r\n', `\ufeff${cells[4]}`, ` ${cells[5]}`, '  ', '源潭镇\u2003', '自然人', ' 自然人 | 企业 ', '否\u3000'];
    expect(parseRow(spaced, 2, plan, context)).toEqual(parseRow(cells, 2, plan, context));
  });
  it('refuses impossible dates, closing before filing, unknown vocabularies', () => {
    const bad = [...cells];
    bad[5] = '2024-02-30';
    bad[9] = '自然人|外星人';
    expect(parseRow(bad, 7, plan, context)).toEqual({
      problems: [
        { line: 7, column: '立案日期', reason: '日期无效：2024-02-30（应为 YYYY-MM-DD 的真实日期）' },
        { line: 7, column: '被告(被申请人/被执行人)类型', reason: expect.stringMatching(/^不在取值范围内：外星人（可选值：自然人、企业、/) },
      ],
    });
    const early = [...cells];
    early[6] = '2025-01-01';
    expect(parseRow(early, 3, plan, context)).toEqual({ problems: [{ line: 3, column: '结案日期', reason: '结案日期早于立案日期' }] });
  });
  it('refuses a name or prose where a column holds a court, an agency, an opaque key or case numbers (issue 17 rule 5), masking a name in the message', () => {
    const shaped = planHeader([...zh, '被诉行政机关', '被告标识', '关联案号']);
    const good = [...cells, '南阳市生态环境局唐河分局', 'dk-a00011234', '（2024）豫1328民初12号、（2024）豫13民终3号'];
    expect(parseRow(good, 2, shaped, context)).toMatchObject({ row: { defendant_agency: '南阳市生态环境局唐河分局', defendant_key: 'dk-a00011234' } });
    for (const [court, agency, key] of [
      ['唐河县人民法院源潭人民法庭', '唐河县人民政府', '唐河县某某置业有限公司'],
      ['南阳市中级人民法院', '唐河县城郊乡人民政府', '唐河县张三副食店'],
    ]) {
      expect('row' in parseRow([cells[0]!, court!, ...cells.slice(2), agency!, key!, ''], 2, shaped, context)).toBe(true);
    }
    const bad = [...good];
    bad[1] = '张三';
    bad[11] = '李四说不服';
    bad[12] = '王五';
    bad[13] = '见上一案';
    expect(parseRow(bad, 9, shaped, context)).toEqual({
      problems: [
        { line: 9, column: '承办法院', reason: '不是法院或人民法庭的名称：［已脱敏］（应为承办法院的全称，如 唐河县人民法院、唐河县人民法院源潭人民法庭）' },
        { line: 9, column: '被诉行政机关', reason: '不是行政机关的名称：李四说不服（应为被诉行政机关的全称，如 唐河县自然资源局、唐河县人民政府）' },
        { line: 9, column: '被告标识', reason: '应为企业或机关的名称，或被告姓名与身份证号的加密标识，不能是自然人姓名：［已脱敏］（自然人请提供“被告姓名”“被告身份证号”两列，由系统加密后丢弃原值）' },
        { line: 9, column: '关联案号', reason: expect.stringMatching(/^关联案号格式不符：见上一案（应为“（年度）省份简称/) },
      ],
    });
  });
  it('keeps leap days that exist', () => {
    const leap = [...cells];
    leap[0] = '（2024）豫1328民初1号';
    leap[5] = '2024-02-29';
    expect('row' in parseRow(leap, 2, plan, context)).toBe(true);
  });
  it('takes a date only as YYYY-MM-DD of a day that exists', () => {
    const closing = (text: string) => parseRow(Object.assign([...cells], { 6: text }), 2, plan, context);
    for (const good of ['2025-03-01', '2025-12-31', '2025-04-30', '2026-02-28']) expect(closing(good), good).toHaveProperty('row.closing_date', good);
    for (const bad of ['2025-3-01', '2025-03-1', '2025/03/01', '2025-00-10', '2025-13-01', '2025-04-31', '2025-02-29', '2100-02-29', '2025-03-00', '２０２５-03-01', '2025.03.01', '2025-03-011', 'a025-03-01']) {
      expect(closing(bad), bad).toEqual({ problems: [{ line: 2, column: '结案日期', reason: `日期无效：${bad}（应为 YYYY-MM-DD 的真实日期）` }] });
    }
  });
});

describe('masking', () => {
  it('masks ID and mobile numbers in free text and counts them', () => {
    expect(maskPersonalNumbers('联系 13812345678，证号 41132819900101123X，案值 1234567')).toEqual({ text: '联系 ［已脱敏］，证号 ［已脱敏］，案值 1234567', masked: 2 });
  });
  it('masks the names a row gives wherever they appear in its free text, longest first, and counts them', () => {
    const named = planHeader([...zh, '系列案标识', '被诉行政机关', '被告姓名', '当事人姓名', '健康状况']);
    const row = ['（2025）豫1328民初3号', '唐河县人民法院', '民事', '一审', '生命权、身体权、健康权纠纷', '2025-03-01', '', '湖阳镇', '自然人', '自然人', ''];
    const parsed = parseRow([...row, '王小明诉李娜系列案', '王小明村民委员会', '王小明', '李娜、赵', '健康'], 2, named, context);
    // 健康状况 is personal but not a name: the cause keeps 健康权; a one-character name (赵) is no name to mask.
    expect(parsed).toMatchObject({ row: { series_id: '［已脱敏］诉［已脱敏］系列案', defendant_agency: '［已脱敏］村民委员会', cause: '生命权、身体权、健康权纠纷' }, masked: 3 });
    // (This test's identity key spells its input; the real one is a keyed HMAC.)
    expect(JSON.stringify({ ...('row' in parsed ? parsed.row : {}), defendant_key: null })).not.toMatch(/王小明|李娜/);
    const names = new FileNames();
    names.add('张三');
    names.add('张三丰');
    expect(names.mask('张三丰与张三')).toEqual({ text: '［已脱敏］与［已脱敏］', masked: 2 });
    // A row's own names beyond what a full masker holds are masked in that row all the same.
    expect(new FileNames().mask('阿依古丽·买买提诉王五', ['阿依古丽·买买提'])).toEqual({ text: '［已脱敏］诉王五', masked: 1 });
  });
  it('masks the names earlier rows of the file gave in a later row, and revises at the end of the file the text a later row named', () => {
    const named = planHeader([...zh, '系列案标识', '被告姓名']);
    const fileNames = new FileNames();
    const at = (n: number, series: string, name: string) =>
      parseRow([`（2025）豫1328民初${n}号`, '唐河县人民法院', '民事', '一审', '民间借贷纠纷', '2025-03-01', '', '湖阳镇', '自然人', '自然人', '', series, name], n + 1, named, { ...context, fileNames });
    // Row 2's text names 欧阳小峰 before any row has given him: it is read as it stands, and revised once the file has ended.
    expect(at(1, '欧阳小峰借款系列', '王小明')).toMatchObject({ row: { series_id: '欧阳小峰借款系列' }, masked: 0 });
    expect(at(2, '张三丰', '欧阳小峰、张三丰')).toMatchObject({ row: { series_id: '［已脱敏］' }, masked: 1 });
    // Row 4 gives no names of its own; the earlier rows' are masked, the longer name before the shorter one inside it.
    expect(at(3, '王小明与欧阳小峰、张三丰系列', '')).toMatchObject({ row: { series_id: '［已脱敏］与［已脱敏］、［已脱敏］系列' }, masked: 3 });
    expect(new FileNames().mask('王小明')).toEqual({ text: '王小明', masked: 0 });
    // Only the values a later name masks are revised; the cause (not free text: the catalogue controls it) is not remembered.
    expect(fileNames.revisions()).toEqual([{ from: '欧阳小峰借款系列', to: '［已脱敏］借款系列' }]);
  });
  it('turns a raw identity into the key and never keeps the name', () => {
    const withIdentity = planHeader([...zh, '被告姓名', '被告身份证号']);
    const parsed = parseRow([...['（2025）豫1328民初2号', '唐河县人民法院', '民事', '一审', '民间借贷纠纷', '2025-03-01', '', '湖阳镇', '自然人', '自然人', ''], '李四', '411328199001011234'], 2, withIdentity, context);
    expect('row' in parsed && parsed.row.defendant_key).toBe('key(李四|411328199001011234)');
    expect(JSON.stringify(parsed)).not.toContain('"李四"');
  });
});
