import { describe, expect, it } from 'vitest';
import { parseCaseNumber } from '../../src/domain/cases/case-number.ts';
import { shownInMessage } from '../../src/domain/cases/message-values.ts';
import { parseRow, planHeader } from '../../src/domain/cases/rows.ts';
import { beijingDay } from '../../src/shared/time.ts';

/** Issue 17, rules 2, 3, 4, 7 and 9: what a careless or hostile export gets back, row by row. */

const context = { identityKey: () => 'key', today: '2026-12-04' };
const headers = ['案号', '承办法院', '案件类型', '审判程序', '类型代字', '案由', '立案日期', '结案日期', '乡镇(街道)', '原告(申请人)类型', '被告(被申请人/被执行人)类型', '结案方式', '被告姓名', '手机'];
const plan = planHeader(headers);
const valid = { 案号: '（2025）豫1328民初1234号', 承办法院: '唐河县人民法院', 案件类型: '民事', 审判程序: '一审', 类型代字: '民初', 案由: '民间借贷纠纷', 立案日期: '2025-03-01', 结案日期: '2025-06-01', '乡镇(街道)': '源潭镇', '原告(申请人)类型': '自然人', '被告(被申请人/被执行人)类型': '自然人', 结案方式: '判决', 被告姓名: '王小明', 手机: '13912345678' };
type Cells = typeof valid;
const parse = (patch: Partial<Cells>, today = context.today) => parseRow(headers.map((h) => ({ ...valid, ...patch })[h as keyof Cells]), 5, plan, { ...context, today });
const problems = (patch: Partial<Cells>, today?: string) => {
  const parsed = parse(patch, today);
  return 'problems' in parsed ? parsed.problems : [];
};

describe('a valid row', () => {
  it('when every rule holds, then the row is parsed', () => {
    expect(parse({})).toMatchObject({ row: { case_no: '（2025）豫1328民初1234号', closing_method: '判决' } });
  });
});

describe('rule 2: enumerated columns', () => {
  it('when 案件类型, 审判程序 or 结案方式 holds a value outside its list, then the message lists the allowed values', () => {
    expect(problems({ 案件类型: '民事案', 审判程序: '初审', 结案方式: '判了' })).toEqual([
      { line: 5, column: '案件类型', reason: '不在取值范围内：民事案（可选值：刑事、民事、行政、执行、国家赔偿、非诉保全审查、其他）' },
      { line: 5, column: '审判程序', reason: '不在取值范围内：初审（可选值：一审、二审、再审、执行实施、执行审查、非诉执行审查、特别程序、诉前调解、其他）' },
      { line: 5, column: '结案方式', reason: '不在取值范围内：判了（可选值：判决、调解、撤诉、驳回起诉、裁定、移送、终结、执行完毕、终结本次执行、和解、不予受理、其他）' },
    ]);
  });
  it('when a township or a party type is unknown, then its allowed values are listed too', () => {
    const [township, party] = problems({ '乡镇(街道)': '北京市', '原告(申请人)类型': '自然人|外星人' });
    expect(township!.reason).toMatch(/^不是唐河县的乡镇（街道）：北京市（可选值：滨河街道、文峰街道、.*县外、不详）$/);
    expect(party!.reason).toBe('不在取值范围内：外星人（可选值：自然人、企业、行政机关、乡镇政府(街道)、村(居)委会、事业单位、社会组织、检察机关、其他），多个值用“|”分隔');
  });
});

describe('rule 3: 案号 format and agreement', () => {
  it('when a case number has the court format, then its parts are read (full- or half-width brackets, any court level)', () => {
    expect(parseCaseNumber('（2025）豫1328民初1234号')).toEqual({ year: 2025, court: '豫1328', typeCode: '民初', serial: '1234' });
    expect(parseCaseNumber('(2022)豫13民终7号')).toMatchObject({ court: '豫13', typeCode: '民终' });
    expect(parseCaseNumber('（2024）最高法民再12号')).toMatchObject({ court: '最高法', typeCode: '民再' });
    expect(parseCaseNumber('（2023）豫1328执恢88号')).toMatchObject({ typeCode: '执恢' });
  });
  it.each([
    ['no brackets', '2025豫1328民初1234号'],
    ['no 号', '（2025）豫1328民初1234'],
    ['unknown province', '（2025）X1328民初1234号'],
    ['three court digits', '（2025）豫132民初1234号'],
    ['unknown type code', '（2025）豫1328民出1234号'],
    ['no serial', '（2025）豫1328民初号'],
    ['SQL', "（2025）豫1328民初1号'; DROP TABLE case_record; --"],
    ['old format', '（2015）唐民初字第123号'],
  ])('when the case number has %s, then the row is refused by line with the expected format', (_, caseNo) => {
    expect(problems({ 案号: caseNo })).toEqual([{ line: 5, column: '案号', reason: expect.stringMatching(/^案号格式不符：.*（应为“（年度）省份简称\+法院代码\+类型代字\+编号\+号”，如（2025）豫1328民初1234号）$/) }]);
  });
  it('when the case number year is not the filing year or its type code not the 类型代字 column, then both are named', () => {
    expect(problems({ 案号: '（2024）豫1328民初1234号', 类型代字: '刑初' })).toEqual([
      { line: 5, column: '立案日期', reason: '立案日期的年度（2025）与案号年度（2024）不一致' },
      { line: 5, column: '类型代字', reason: '类型代字（刑初）与案号中的类型代字（民初）不一致' },
    ]);
  });
});

describe('rule 4: dates after today (Beijing time)', () => {
  it('when 立案日期 or 结案日期 is after today, then it is refused before any other date rule', () => {
    // A future filing date would also disagree with the case number's year and follow the closing date: only the first rule speaks.
    expect(problems({ 立案日期: '2027-01-05', 结案日期: '2026-12-05' })).toEqual([
      { line: 5, column: '立案日期', reason: '立案日期 2027-01-05 晚于今天（北京时间 2026-12-04）' },
      { line: 5, column: '结案日期', reason: '结案日期 2026-12-05 晚于今天（北京时间 2026-12-04）' },
    ]);
    expect(problems({ 案号: '（2026）豫1328民初1号', 立案日期: '2026-12-04', 结案日期: '2026-12-04' })).toEqual([]);
  });
  it('when it is already the next day in Beijing but not yet in UTC, then today is the Beijing day', () => {
    expect(beijingDay(new Date('2026-12-04T16:30:00Z'))).toBe('2026-12-05');
    expect(beijingDay(new Date('2026-12-04T15:59:59Z'))).toBe('2026-12-04');
  });
});

describe('rule 7: oversized cells', () => {
  it('when a cell is longer than its column allows, then a field-length error names line and column without echoing the cell', () => {
    const [court, cause] = problems({ 案由: '纠纷'.repeat(150), 承办法院: '法'.repeat(51) });
    expect(cause).toEqual({ line: 5, column: '案由', reason: '内容过长：300 个字符，该列最多 200 个字符' });
    expect(court).toEqual({ line: 5, column: '承办法院', reason: '内容过长：51 个字符，该列最多 50 个字符' });
    expect(problems({ 案件类型: '民'.repeat(5000) })).toEqual([{ line: 5, column: '案件类型', reason: '内容过长：5000 个字符，该列最多 200 个字符' }]);
  });
});

describe('rule 9: messages never echo personal data', () => {
  it('when a refused cell holds an ID number, a phone number or the row\'s party name, then the message masks it', () => {
    const reasons = problems({ 案件类型: '王小明', 审判程序: '411328199001011234', 结案方式: '电话 0377-68921234', 立案日期: '13912345678', 案号: '王小明（2025）豫1328民初1号' }).map((p) => p.reason);
    expect(reasons).toEqual([
      expect.stringMatching(/^不在取值范围内：［已脱敏］（可选值：/),
      expect.stringMatching(/^不在取值范围内：［已脱敏］（可选值：/),
      '日期无效：［已脱敏］（应为 YYYY-MM-DD 的真实日期）',
      expect.stringMatching(/^不在取值范围内：电话 ［已脱敏］（可选值：/),
      expect.stringMatching(/^案号格式不符：［已脱敏］（2025）豫1328民初1号（应为/),
    ]);
    expect(JSON.stringify(reasons)).not.toMatch(/王小明|411328|1391234|68921234/);
  });
  it('when a refused cell reads like a person\'s name though the file has no name column, then the message masks it', () => {
    expect(shownInMessage('刘德华')).toBe('［已脱敏］');
    expect(shownInMessage('欧阳小明')).toBe('［已脱敏］');
    expect(shownInMessage('民事案')).toBe('民事案');
    expect(shownInMessage('北京市')).toBe('北京市');
    const plain = planHeader(headers.filter((h) => h !== '被告姓名' && h !== '手机'));
    const cells = plain.columns.map((c) => (c?.zh === '案件类型' ? '刘德华' : valid[c!.zh as keyof Cells]));
    expect(parseRow(cells, 9, plain, context)).toEqual({ problems: [{ line: 9, column: '案件类型', reason: expect.stringMatching(/^不在取值范围内：［已脱敏］（可选值：/) }] });
  });
  it('when an unknown header is a pasted row, then the header problem shows it masked', () => {
    expect(planHeader(['案号', '13912345678']).problems[0]).toEqual({ line: 1, column: '［已脱敏］', reason: '无法识别的列名（请使用「案件数据导入模板」中的中文或英文列名，模板可在数据导入页下载）' });
  });
  it('when a value is long, then the message shows a short excerpt', () => {
    expect(shownInMessage('甲'.repeat(50))).toBe(`${'甲'.repeat(30)}…`);
    expect(shownInMessage('案值 1234567 元，身份证 41132819900101123X')).toBe('案值 ［已脱敏］ 元，身份证 ［已脱敏］');
  });
});
