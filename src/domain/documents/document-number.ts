import { ValidationError } from '../../shared/errors.ts';

/**
 * 文号 (document numbers): 机关代字〔年份〕序号. Two house styles are in use in Tanghe:
 * the court's `唐法风〔2026〕3号` (plain serial) and the office's `唐平督〔2026〕第015号`
 * (第 + zero-padded serial); bulletins are numbered by issue, `2026年第3期`.
 * The serial is allocated per (prefix, year) without gaps by `src/services/document-numbers.ts`;
 * this module only formats and parses.
 */

export type NumberStyle = 'plain' | 'ordinal' | 'issue';

export interface NumberSeries {
  /** 机关代字, also the counter key: 唐法风, 唐平督 … */
  prefix: string;
  style: NumberStyle;
  /** Zero padding of the serial for the `ordinal` style (3 → 第015号). */
  pad?: number;
}

/**
 * The default series of each numbered document (P: DOMAIN.md names 唐法风 and 唐平督; the other
 * 代字 follow the same pattern and are data the workers may override).
 */
export const documentSeries = {
  riskNotice: { prefix: '唐法风', style: 'plain' },
  assessmentReport: { prefix: '唐法评', style: 'plain' },
  supervisionNotice: { prefix: '唐平督', style: 'ordinal', pad: 3 },
  urgeNotice: { prefix: '唐平催', style: 'ordinal', pad: 3 },
  warningCard: { prefix: '唐平警', style: 'ordinal', pad: 3 },
  bulletin: { prefix: '唐平专', style: 'issue' },
  interviewNotice: { prefix: '唐平约', style: 'ordinal', pad: 3 },
  interviewRecord: { prefix: '唐平约记', style: 'ordinal', pad: 3 },
  listing: { prefix: '唐平挂', style: 'ordinal', pad: 3 },
  rectificationOrder: { prefix: '唐平整', style: 'ordinal', pad: 3 },
  meetingMinutes: { prefix: '唐平纪', style: 'plain' },
  scoreSheet: { prefix: '唐平考', style: 'plain' },
} as const satisfies Record<string, NumberSeries>;

export type SeriesName = keyof typeof documentSeries;

/** 唐法风〔2026〕3号 / 唐平督〔2026〕第015号 / 2026年第3期. */
export function formatDocumentNumber(series: NumberSeries, year: number, serial: number): string {
  if (!/^[\u4e00-\u9fff]{1,8}$/.test(series.prefix)) {
    throw new ValidationError([{ field: 'prefix', reason: `机关代字应为1至8个汉字：${series.prefix}` }]);
  }
  if (!Number.isInteger(year) || year < 2000 || year > 2999) throw new ValidationError([{ field: 'year', reason: `年份无效：${year}` }]);
  if (!Number.isInteger(serial) || serial < 1) throw new ValidationError([{ field: 'serial', reason: `序号应为正整数：${serial}` }]);
  switch (series.style) {
    case 'plain':
      return `${series.prefix}〔${year}〕${serial}号`;
    case 'ordinal':
      return `${series.prefix}〔${year}〕第${String(serial).padStart(series.pad ?? 3, '0')}号`;
    case 'issue':
      return `${year}年第${serial}期`;
  }
}

export interface ParsedNumber {
  prefix: string | null;
  year: number;
  serial: number;
  style: NumberStyle;
}

/** Inverse of `formatDocumentNumber`; accepts the half-width bracket variants people type. */
export function parseDocumentNumber(text: string): ParsedNumber {
  const normal = text.trim().replace(/[[(（〔【]/g, '〔').replace(/[\])）〕】]/g, '〕');
  const numbered = /^([\u4e00-\u9fff]{1,8})〔(\d{4})〕(第)?(\d+)号$/.exec(normal);
  if (numbered) {
    return { prefix: numbered[1]!, year: Number(numbered[2]), serial: Number(numbered[4]), style: numbered[3] ? 'ordinal' : 'plain' };
  }
  const issue = /^(\d{4})年第(\d+)期$/.exec(normal);
  if (issue) return { prefix: null, year: Number(issue[1]), serial: Number(issue[2]), style: 'issue' };
  throw new ValidationError([{ field: 'number', reason: `无法识别的文号：${text}` }]);
}
