import { describe, expect, it } from 'vitest';
import { createGenerator, generateCaseData, PLANTED_RISKS, type GeneratorOptions } from '../../src/domain/cases/generator.ts';

const options: GeneratorOptions = { fromYear: 2022, toYear: 2025, rows: 1_500, seed: 411_328 };

describe('case generator, streamed', () => {
  it('gives generateCaseData exactly: the streamed cases, then the side tables', () => {
    const generator = createGenerator(options);
    const cases = [...generator.cases()];
    expect(generateCaseData(options)).toEqual({ cases, ...generator.sideTables() });
  });

  it('yields the cases in (filing_date, case_no) order, across years and with the planted extras', () => {
    let previous: { filing_date: string; case_no: string } | undefined;
    let wageSeries = 0;
    const years = new Set<string>();
    for (const c of createGenerator(options).cases()) {
      if (previous) expect(previous.filing_date.localeCompare(c.filing_date) || previous.case_no.localeCompare(c.case_no)).toBeLessThanOrEqual(0);
      previous = c;
      years.add(c.filing_date.slice(0, 4));
      if (c.series_id === PLANTED_RISKS.wageArrears.seriesId) wageSeries++;
    }
    expect(wageSeries).toBe(PLANTED_RISKS.wageArrears.cases);
    expect([...years]).toEqual(['2022', '2023', '2024', '2025']);
  });

  it('draws the side tables only after the last case', () => {
    const generator = createGenerator({ ...options, plantedRisks: false });
    expect(() => generator.sideTables()).toThrow(/exhaust cases/);
    const cases = generator.cases();
    cases.next();
    expect(() => generator.sideTables()).toThrow(/exhaust cases/);
    expect(() => generator.cases()).toThrow(/once/);
    expect([...cases].length).toBeGreaterThan(0);
    expect(generator.sideTables().signals).toHaveLength(23 * 4 * 12);
    expect(generator.sideTables()).toBe(generator.sideTables());
  });
});
