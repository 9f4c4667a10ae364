import { describe, expect, it } from 'vitest';
import { maskFreeText, maskPersonalNumbers, parseRow, planHeader } from '../../src/domain/cases/rows.ts';

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
  it('keeps leap days that exist', () => {
    const leap = [...cells];
    leap[0] = '（2024）豫1328民初1号';
    leap[5] = '2024-02-29';
    expect('row' in parseRow(leap, 2, plan, context)).toBe(true);
  });
});

describe('masking', () => {
  it('masks ID and mobile numbers in free text and counts them', () => {
    expect(maskPersonalNumbers('联系 13812345678，证号 41132819900101123X，案值 1234567')).toEqual({ text: '联系 ［已脱敏］，证号 ［已脱敏］，案值 1234567', masked: 2 });
  });
  it('masks the names a row gives wherever they appear in its free text, longest first, and counts them', () => {
    const named = planHeader([...zh, '系列案标识', '被诉行政机关', '被告姓名', '当事人姓名', '健康状况']);
    const row = ['（2025）豫1328民初3号', '唐河县人民法院', '民事', '一审', '生命权、身体权、健康权纠纷', '2025-03-01', '', '湖阳镇', '自然人', '自然人', ''];
    const parsed = parseRow([...row, '王小明诉李娜系列案', '王小明', '王小明', '李娜、赵', '健康'], 2, named, context);
    // 健康状况 is personal but not a name: the cause keeps 健康权; a one-character name (赵) is no name to mask.
    expect(parsed).toMatchObject({ row: { series_id: '［已脱敏］诉［已脱敏］系列案', defendant_agency: '［已脱敏］', cause: '生命权、身体权、健康权纠纷' }, masked: 3 });
    // (This test's identity key spells its input; the real one is a keyed HMAC.)
    expect(JSON.stringify({ ...('row' in parsed ? parsed.row : {}), defendant_key: null })).not.toMatch(/王小明|李娜/);
    expect(maskFreeText('张三丰与张三', ['张三', '张三丰'])).toEqual({ text: '［已脱敏］与［已脱敏］', masked: 2 });
  });
  it('turns a raw identity into the key and never keeps the name', () => {
    const withIdentity = planHeader([...zh, '被告姓名', '被告身份证号']);
    const parsed = parseRow([...['（2025）豫1328民初2号', '唐河县人民法院', '民事', '一审', '民间借贷纠纷', '2025-03-01', '', '湖阳镇', '自然人', '自然人', ''], '李四', '411328199001011234'], 2, withIdentity, context);
    expect('row' in parsed && parsed.row.defendant_key).toBe('key(李四|411328199001011234)');
    expect(JSON.stringify(parsed)).not.toContain('"李四"');
  });
});
