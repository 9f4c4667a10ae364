import { describe, expect, it } from 'vitest';
import { defaultCatalogue } from '../../src/domain/indicators/catalogue.ts';
import { compileCaseScan } from '../../src/domain/indicators/compile.ts';
import { COUNTY, evaluateScan, type ScanInput, type ScanRow } from '../../src/domain/indicators/evaluate.ts';

const TOWN = 'town-a';
const H1_2025 = { start: '2025-01-01', end: '2025-06-30' };

/** One indicator's scan over a county of one township, with `counts` cases in p0…p3 (the township's are the county's). */
function scan(id: string, counts: number[], comparableYears: boolean[]): { definition: (typeof defaultCatalogue)[number]; input: ScanInput } {
  const definition = defaultCatalogue.find((d) => d.id === id)!;
  const compiled = compileCaseScan([definition], H1_2025);
  const row = (township: string | null): ScanRow => {
    const r: ScanRow = { township, is_county: township === null };
    compiled.columns.get(id)!.forEach((c, k) => Object.assign(r, { [c.num]: counts[k], [c.numRows]: counts[k] }));
    return r;
  };
  return {
    definition,
    input: {
      caseRows: [row(null), row(TOWN)],
      caseColumns: compiled.columns,
      signalRows: [],
      maxPerKey: new Map(),
      population: new Map(),
      townships: [TOWN],
      comparableYears: new Map([
        [COUNTY, comparableYears],
        [TOWN, comparableYears],
      ]),
    },
  };
}

describe('the comparison base over the years the data covers (issue 17 rule 11)', () => {
  it('when no earlier year is covered, then last year and the base are unknown (not zero), the level comes from the thresholds and the YoY rule stays silent', () => {
    // C4 fires "any rise with at least five cases": with the missing years read as 0 this period's 9 would be a rise.
    const { definition, input } = scan('C4', [9, 0, 0, 0], [false, false, false]);
    const county = evaluateScan([definition], input).find((r) => r.region === COUNTY)!;
    expect(county).toMatchObject({
      value: 9,
      previous: null,
      base: null,
      yoy: null,
      ratio: null,
      level: 'low',
      reason: '无可比历史数据，不作同比和基准比较，仅按阈值判定为低风险',
    });
  });

  it('when only the third year back is missing, then the base is the mean of the two covered years', () => {
    const { definition, input } = scan('B2', [120, 100, 80, 0], [true, true, false]);
    const county = evaluateScan([definition], input).find((r) => r.region === COUNTY)!;
    expect(county).toMatchObject({ value: 120, previous: 100, base: 90, yoy: 0.2, ratio: 1.3333, level: 'high' });
  });

  it('when last year is missing but earlier years are covered, then there is no YoY figure and the base still stands', () => {
    const { definition, input } = scan('C4', [9, 0, 4, 6], [false, true, true]);
    const county = evaluateScan([definition], input).find((r) => r.region === COUNTY)!;
    expect(county).toMatchObject({ previous: null, base: 5, yoy: null, ratio: 1.8, level: 'high' });
    expect(county.reason).toBe('为比较基准的1.8倍，达到高风险阈值1.3倍');
  });

  it('when every earlier year is covered and had no case, then last year is 0, not unknown', () => {
    const { definition, input } = scan('C4', [9, 0, 0, 0], [true, true, true]);
    const county = evaluateScan([definition], input).find((r) => r.region === COUNTY)!;
    expect(county).toMatchObject({ previous: 0, base: 0, yoy: null, ratio: null, level: 'high' });
    expect(county.reason).toBe('上年同期为0，不计算同比增幅，无比较基准，未作比较；同比上升且案件数不少于5件，定为高风险');
  });
});
