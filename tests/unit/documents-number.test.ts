import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentSeries, formatDocumentNumber, parseDocumentNumber } from '../../src/domain/documents/index.ts';
import { ValidationError } from '../../src/shared/errors.ts';

describe('文号', () => {
  it('when the court numbers a risk notice, then it reads 唐法风〔2026〕3号', () => {
    expect(formatDocumentNumber(documentSeries.riskNotice, 2026, 3)).toBe('唐法风〔2026〕3号');
  });

  it('when the office numbers a supervision item, then it reads 唐平督〔2026〕第015号', () => {
    expect(formatDocumentNumber(documentSeries.supervisionNotice, 2026, 15)).toBe('唐平督〔2026〕第015号');
    expect(formatDocumentNumber(documentSeries.supervisionNotice, 2026, 1234)).toBe('唐平督〔2026〕第1234号');
  });

  it('when a bulletin is numbered, then it is an issue of the year', () => {
    expect(formatDocumentNumber(documentSeries.bulletin, 2026, 11)).toBe('2026年第11期');
  });

  it('when a number is typed with other brackets, then it parses to the same parts', () => {
    expect(parseDocumentNumber('唐法风[2026]3号')).toEqual({ prefix: '唐法风', year: 2026, serial: 3, style: 'plain' });
    expect(parseDocumentNumber('唐平督（2026）第015号')).toEqual({ prefix: '唐平督', year: 2026, serial: 15, style: 'ordinal' });
    expect(parseDocumentNumber('2026年第11期')).toEqual({ prefix: null, year: 2026, serial: 11, style: 'issue' });
  });

  it('when any series, year and serial are formatted, then parsing gives them back', () => {
    const series = Object.values(documentSeries);
    fc.assert(
      fc.property(fc.constantFrom(...series), fc.integer({ min: 2000, max: 2999 }), fc.integer({ min: 1, max: 99_999 }), (s, year, serial) => {
        const parsed = parseDocumentNumber(formatDocumentNumber(s, year, serial));
        return parsed.year === year && parsed.serial === serial && parsed.style === s.style && (s.style === 'issue' || parsed.prefix === s.prefix);
      }),
    );
  });

  it('when the prefix, year or serial is invalid, then formatting refuses it', () => {
    expect(() => formatDocumentNumber({ prefix: 'TF', style: 'plain' }, 2026, 1)).toThrow(ValidationError);
    expect(() => formatDocumentNumber(documentSeries.riskNotice, 26, 1)).toThrow(ValidationError);
    expect(() => formatDocumentNumber(documentSeries.riskNotice, 2026, 0)).toThrow(ValidationError);
    expect(() => parseDocumentNumber('第3号')).toThrow(ValidationError);
  });
});
