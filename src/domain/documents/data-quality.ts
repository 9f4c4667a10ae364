import { cellsWith, type CoverageGrid, type CoverageStatus } from '../cases/coverage.ts';
import { numericDate } from './format.ts';
import type { Block, TableCell } from './model.ts';
import { withoutPersonalData } from './privacy.ts';

/**
 * The 数据说明 section of every assessment report (issue 17 rule 13): what the figures rest on —
 * how much case data was imported and which dates it spans, which uploads were refused, which
 * earlier years the comparisons may use, where the period's data has gaps, and the period's
 * month × township coverage grid. A reader tells "no cases" from "no data" here.
 */
export interface DataQuality {
  /** Case-data files imported so far, and the rows they read. */
  files: number;
  rowsRead: number;
  /** First and last 立案日期 the imports span (YYYY-MM-DD); null before any import. */
  span: { first: string; last: string } | null;
  /** Uploads refused since the period began, oldest first: the first problem as the uploader read it. */
  refusals: { refusedOn: string; fileName: string; problemCount: number; reason: string }[];
  /** The period's months × the county's townships (by name). */
  coverage: CoverageGrid;
  /** The earlier periods a comparison may use (last year first) and whether the data covers them county-wide. */
  comparisons: { label: string; comparable: boolean }[];
}

const statusCell: Record<CoverageStatus, TableCell> = {
  covered: { text: '有', tone: 'green' },
  partial: { text: '部分', tone: 'yellow' },
  none: { text: '无', tone: 'grey' },
};

/** "2026-05" → "5月", or "2025年12月" when the months span years. */
function monthLabel(month: string, oneYear: boolean): string {
  const m = `${Number(month.slice(5, 7))}月`;
  return oneYear ? m : `${month.slice(0, 4)}年${m}`;
}

/** Months as runs: "1月至3月、5月". */
function monthRuns(months: readonly string[], oneYear: boolean): string {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
  const runs: string[][] = [];
  for (const m of months) {
    const run = runs.at(-1);
    if (run && index(m) === index(run.at(-1)!) + 1) run.push(m);
    else runs.push([m]);
  }
  return runs.map((r) => (r.length === 1 ? monthLabel(r[0]!, oneYear) : `${monthLabel(r[0]!, oneYear)}至${monthLabel(r.at(-1)!, oneYear)}`)).join('、');
}

/** Townships with the same months of one status grouped: "源潭镇、张店镇：5月至6月". */
function gapLines(grid: CoverageGrid, status: 'none' | 'partial', oneYear: boolean): string[] {
  const groups = new Map<string, string[]>();
  for (const g of cellsWith(grid, status)) {
    const runs = monthRuns(g.months, oneYear);
    groups.set(runs, [...(groups.get(runs) ?? []), g.township]);
  }
  return [...groups].map(([runs, townships]) => `${townships.length === grid.townships.length ? '全县各乡镇（街道）' : townships.join('、')}：${runs}`);
}

/** The section's blocks, under the caller's heading; `tableNo` numbers its tables. */
export function dataQualityBlocks(dq: DataQuality, periodText: string, tableNo: () => number): Block[] {
  const oneYear = new Set(dq.coverage.months.map((m) => m.slice(0, 4))).size <= 1;
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: dq.span
        ? `本报告所用案件数据共导入文件${dq.files}个、读取数据${dq.rowsRead}行，立案日期覆盖${numericDate(dq.span.first)}至${numericDate(dq.span.last)}。`
        : '尚未导入案件数据。',
    },
  ];

  const used = dq.comparisons.filter((c) => c.comparable).map((c) => c.label);
  const left = dq.comparisons.filter((c) => !c.comparable).map((c) => c.label);
  blocks.push({
    type: 'paragraph',
    text:
      left.length === 0
        ? `同比和近三年均值所用的${used.join('、')}数据均完整导入。`
        : used.length === 0
          ? `${left.join('、')}的案件数据均未完整导入，本期指标无可比历史数据，不作同比和基准比较，仅按阈值判定；未导入的数据不视为零。`
          : `同比和近三年均值仅使用数据完整导入的${used.join('、')}；${left.join('、')}的案件数据未完整导入，未纳入比较，也不视为零。`,
  });

  blocks.push(
    dq.refusals.length === 0
      ? { type: 'paragraph', text: '本期以来没有因数据有误被拒绝导入的文件。' }
      : {
          type: 'table',
          title: `表${tableNo()}  本期以来被拒绝导入的文件（共${dq.refusals.length}个，均未导入任何数据）`,
          columns: [
            { header: '日期', width: 1.8, align: 'center' },
            { header: '文件', width: 2.6 },
            { header: '问题数', width: 1.2, align: 'center' },
            { header: '主要问题', width: 4.4 },
          ],
          rows: dq.refusals.map((r) => [numericDate(r.refusedOn), r.fileName, String(r.problemCount), withoutPersonalData(r.reason)]),
        },
  );

  const gaps = gapLines(dq.coverage, 'none', oneYear);
  const partial = gapLines(dq.coverage, 'partial', oneYear);
  blocks.push({
    type: 'paragraph',
    text:
      gaps.length === 0 && partial.length === 0
        ? `${periodText}各乡镇（街道）各月均已导入案件数据，无数据缺口。`
        : [gaps.length > 0 ? `${periodText}无数据的月份——${gaps.join('；')}` : '', partial.length > 0 ? `仅部分日期有数据的月份——${partial.join('；')}` : '']
            .filter(Boolean)
            .join('。') + '。相关乡镇（街道）在这些月份的数值偏低，不代表没有案件。',
  });

  blocks.push({
    type: 'table',
    title: `表${tableNo()}  ${periodText}案件数据覆盖情况`,
    columns: [{ header: '乡镇（街道）', width: 2.2 }, ...dq.coverage.months.map((m) => ({ header: monthLabel(m, oneYear), width: 1, align: 'center' as const }))],
    rows: dq.coverage.townships.map((t, i) => [t, ...dq.coverage.status[i]!.map((s) => statusCell[s])]),
    note: '注：“有”表示该月该乡镇（街道）的案件数据已完整导入；“部分”表示只导入了该月部分日期的数据；“无”表示未导入数据。',
  });
  return blocks;
}
