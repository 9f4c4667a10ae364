import { describe, expect, it } from 'vitest';
import { CauseCatalogue, isCauseName, SEED_CAUSES, seedCauseEntries } from '../../src/domain/cases/cause-catalogue.ts';
import { createGenerator } from '../../src/domain/cases/generator.ts';
import { parseRow, planHeader } from '../../src/domain/cases/rows.ts';
import { defaultCatalogue } from '../../src/domain/indicators/catalogue.ts';
import type { Aggregate } from '../../src/domain/indicators/definition.ts';

const seed = new CauseCatalogue(seedCauseEntries());

describe('案由 catalogue (issue 17 rule 5)', () => {
  it('seeds each cause once, each reading as a cause name', () => {
    const entries = seedCauseEntries();
    expect(new Set(entries.map(([cause]) => cause)).size).toBe(entries.length);
    expect(entries.filter(([cause]) => !isCauseName(cause))).toEqual([]);
    expect(seed.size).toBe(entries.length);
  });

  it('seeds every cause an indicator of the shipped catalogue counts', () => {
    const aggregates = defaultCatalogue.flatMap((d): Aggregate[] => [d.formula.num, ...(d.formula.den ? [d.formula.den] : [])]);
    const counted = aggregates.flatMap((a) => a.filters.flatMap((f) => ('field' in f && f.field === 'cause' && 'in' in f ? f.in : [])));
    expect(counted.length).toBeGreaterThan(40);
    expect(counted.filter((cause) => seed.refusal(cause, undefined) !== undefined)).toEqual([]);
  });

  it('accepts every case the demo-data generator makes, cause and case type together', () => {
    const refused = new Set<string>();
    for (const c of createGenerator({ fromYear: 2024, toYear: 2025, rows: 5_000, seed: 17 }).cases()) {
      if (seed.refusal(c.cause, c.case_type)) refused.add(`${c.case_type}:${c.cause}`);
    }
    expect([...refused]).toEqual([]);
  });

  it('refuses a cause outside the list, and one of another kind than its case type', () => {
    expect(seed.refusal('民间借贷纠纷', '民事')).toBeUndefined();
    // An enforcement case carries the cause of the judgment it enforces.
    expect(seed.refusal('民间借贷纠纷', '执行')).toBeUndefined();
    expect(seed.refusal('盗窃罪', '刑事')).toBeUndefined();
    expect(seed.refusal('行政处罚', '行政')).toBeUndefined();
    expect(seed.refusal('借钱不还', '民事')?.reason).toBe('不在案由目录中');
    expect(seed.refusal('盗窃罪', '民事')).toEqual({ reason: '是刑事案由，与案件类型“民事”不符', hint: '（民事案件的案由应为《民事案件案由规定》中的民事案由）' });
    expect(seed.refusal('离婚纠纷', '刑事')).toEqual({ reason: '是民事案由，与案件类型“刑事”不符', hint: '（刑事案件的案由应为罪名）' });
    expect(SEED_CAUSES.行政).toContain('非诉执行审查');
  });

  it('takes no personal name as a cause name', () => {
    expect(isCauseName('张三')).toBe(false);
    expect(isCauseName('欧阳小明')).toBe(false);
    expect(isCauseName('民间借贷纠纷13812345678')).toBe(false);
    expect(isCauseName('掩饰、隐瞒犯罪所得、犯罪所得收益罪')).toBe(true);
  });
});

describe('a case row against the catalogue', () => {
  const headers = ['案号', '承办法院', '案件类型', '审判程序', '案由', '立案日期', '乡镇(街道)', '原告(申请人)类型', '被告(被申请人/被执行人)类型', '当事人姓名'];
  const plan = planHeader(headers);
  const context = { identityKey: () => 'k', today: '2026-12-04', causes: seed };
  const row = (caseType: string, cause: string, party = '') =>
    parseRow(['（2025）豫1328民初7号', '唐河县人民法院', caseType, '一审', cause, '2025-03-01', '源潭镇', '自然人', '企业', party], 5, plan, context);

  it('keeps a listed cause', () => {
    expect(row('民事', '民间借贷纠纷')).toMatchObject({ row: { cause: '民间借贷纠纷' } });
  });

  it('refuses free text by line and column, with the hint where missing causes come from', () => {
    expect(row('民事', '借钱不还')).toEqual({
      problems: [
        {
          line: 5,
          column: '案由',
          reason:
            '案由不在案由目录中：借钱不还（应为《民事案件案由规定》的案由、罪名或被诉行政行为的种类，按规范名称填写；目录中没有的案由，由法院数据组在数据导入页导入「案由目录」后再导入本文件）',
        },
      ],
    });
  });

  it('refuses a 罪名 on a civil case', () => {
    expect(row('民事', '盗窃罪')).toEqual({ problems: [{ line: 5, column: '案由', reason: '案由是刑事案由，与案件类型“民事”不符：盗窃罪（民事案件的案由应为《民事案件案由规定》中的民事案由）' }] });
  });

  it('never shows a personal name typed as a cause, nor stores it', () => {
    const typed = row('民事', '张三', '张三');
    expect(typed).toMatchObject({ problems: [{ line: 5, column: '案由' }] });
    expect(JSON.stringify(typed)).not.toContain('张三');
    // Not one of the row's parties: still shown masked, as it reads like a name.
    expect(JSON.stringify(row('民事', '李四'))).not.toContain('李四');
  });
});
