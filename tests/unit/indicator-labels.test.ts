import { describe, expect, it } from 'vitest';
import { defaultCatalogue } from '../../src/domain/indicators/catalogue.ts';
import { noticeRecipients } from '../../src/domain/indicators/evaluate.ts';
import { compareIndicatorCodes, indicatorLabel, indicatorLabels } from '../../src/domain/indicators/labels.ts';

const names = new Map(defaultCatalogue.map((d) => [d.id, d.name]));

describe('indicator codes in catalogue order, with their names', () => {
  it('when codes are sorted, then the number counts, not the text: A1, A2, …, A10, B1, C1, C2, C10', () => {
    expect(['C10', 'B1', 'A10', 'C2', 'A2', 'C1', 'A1'].sort(compareIndicatorCodes)).toEqual(['A1', 'A2', 'A10', 'B1', 'C1', 'C2', 'C10']);
  });

  it('when the default catalogue is sorted by code, then it reads A1…F4 as the policy lists it', () => {
    const ids = defaultCatalogue.map((d) => d.id);
    expect([...ids].reverse().sort(compareIndicatorCodes)).toEqual(ids);
  });

  it('when a code has no number or a suffix, then it sorts before the numbered ones of its letter, and suffixes by text', () => {
    expect(['A1', 'A', 'A1b', 'A1a'].sort(compareIndicatorCodes)).toEqual(['A', 'A1', 'A1a', 'A1b']);
    expect(compareIndicatorCodes('B2', 'B2')).toBe(0);
  });

  it('when an indicator is named, then its label is the name with the code; an unknown code stays as it is', () => {
    expect(indicatorLabel('B2', names)).toBe('民间借贷纠纷（B2）');
    expect(indicatorLabel('Z9', names)).toBe('Z9');
    expect(indicatorLabels(['C10', 'B2', 'C2'], names)).toEqual(['民间借贷纠纷（B2）', '电信网络诈骗及帮信犯罪（C2）', `${names.get('C10')}（C10）`]);
  });

  it('when a unit owns C2 and C10 at high risk, then its notice lists them in code order', () => {
    const definitions = defaultCatalogue.filter((d) => d.id === 'C2' || d.id === 'C10').map((d) => ({ ...d, owners: ['gaj'] }));
    const results = ['C10', 'C2'].map((indicatorId) => ({ indicatorId, region: 'county', level: 'high' as const }));
    expect(noticeRecipients(definitions, results)).toEqual([{ departmentId: 'gaj', indicatorIds: ['C2', 'C10'] }]);
  });
});
