import { describe, expect, it } from 'vitest';
import { defaultCatalogue } from '../../src/domain/indicators/catalogue.ts';
import { compileCaseScan, compileMaxPerKey } from '../../src/domain/indicators/compile.ts';

const enabled = defaultCatalogue.filter((d) => d.enabled);

describe('indicator scan compiler', () => {
  it('when the catalogue is compiled for a half-year, then each aggregate is one column over the rows, split by period only afterwards', () => {
    const scan = compileCaseScan(enabled, { start: '2025-01-01', end: '2025-06-30' });
    const rowAggregates = scan.sql.match(/ AS a\d+\b/g) ?? [];
    const periodColumns = scan.sql.match(/ AS p\d+\b/g) ?? [];
    // 34 case-based indicators over four periods make about 180 period columns from under 50 row aggregates.
    expect(periodColumns.length).toBeGreaterThan(170);
    expect(rowAggregates.length).toBeLessThan(50);
    // Only E4's age test names the period's end, so it alone is an aggregate per period.
    expect(scan.sql.match(/DATE '2025-06-30' - filing_date/g)).toHaveLength(1);
    expect(scan.sql).not.toMatch(/\$period_end/);
  });

  it('when a period is longer than a year, then it is refused (a row would belong to two comparison periods)', () => {
    expect(() => compileCaseScan(enabled, { start: '2024-01-01', end: '2025-06-30' })).toThrow(RangeError);
    expect(() => compileCaseScan(enabled, { start: '2025-01-01', end: '2025-12-31' })).not.toThrow();
  });

  it('when a per-defendant maximum is compiled, then townships and the county come from one grouping', () => {
    const b2 = enabled.find((d) => d.id === 'B2')!;
    expect(compileMaxPerKey(b2, { key: 'defendant_key', count: 'cases' }, { start: '2025-01-01', end: '2025-06-30' })).toContain('GROUPING SETS ((township, defendant_key), (defendant_key))');
  });

  it('when plaintiffs are counted, then the groups sum 当事人人数 (1 where blank), and by series a case outside any series is its own group', () => {
    const a3 = enabled.find((d) => d.id === 'A3')!;
    const sql = compileMaxPerKey(a3, { key: 'series_id', count: 'plaintiffs' }, { start: '2025-01-01', end: '2025-06-30' });
    expect(sql).toContain('sum(coalesce(party_count, 1)) AS n');
    expect(sql).toContain(`GROUPING SETS ((township, coalesce(series_id, 'case:' || case_no)), (coalesce(series_id, 'case:' || case_no)))`);
    expect(compileMaxPerKey(a3, { key: 'defendant_key', count: 'plaintiffs' }, { start: '2025-01-01', end: '2025-06-30' })).toContain('AND defendant_key IS NOT NULL');
  });
});
