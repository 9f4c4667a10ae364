import { decimal, formatCount, isSmallCell, levelName, levelText, levelTone, numericDate, percent, riskLevels } from './format.ts';
import type { IndicatorFigure } from './inputs.ts';
import type { Block, HeatGridChart, LevelBarsChart, TableCell, TrendChart } from './model.ts';

/**
 * How indicator figures are printed: value, same-period change, base, township breakdown and
 * charts. Every number passes through the suppression rule in `format.ts`: counts below 5 print
 * "<5", and rates, shares and changes computed from fewer than 5 cases are not printed at all
 * (a rate over a known population, or a change against a printed value, would reveal the count).
 */

export const SUPPRESSION_NOTE = '注：依据数据安全和个人信息保护要求，少于5件（人）的数值以“<5”表示，基数少于5件的比率和同比变化不予计算。';

function suppressed(figure: IndicatorFigure): boolean {
  return isSmallCell(figure.basisCount);
}

function previousSuppressed(figure: IndicatorFigure): boolean {
  return figure.previousBasisCount === null || isSmallCell(figure.previousBasisCount);
}

/** The value as printed: "23件", "<5件", "1.35件/万人", "28.6%", or "<5件（不计算比率）". */
export function figureValue(figure: IndicatorFigure): string {
  if (figure.kind === 'count') return formatCount(figure.value, figure.unit);
  if (suppressed(figure)) return `${formatCount(figure.basisCount, '件')}（不计算比率）`;
  return figure.kind === 'share' ? percent(figure.value) : `${decimal(figure.value)}${figure.unit}`;
}

/** The same period last year as printed, with the same rules as `figureValue`. */
export function figurePrevious(figure: IndicatorFigure): string {
  if (figure.previous === null) return '—';
  if (figure.kind === 'count') return formatCount(figure.previous, figure.unit);
  if (previousSuppressed(figure)) return `${formatCount(figure.previousBasisCount ?? 0, '件')}（不计算比率）`;
  return figure.kind === 'share' ? percent(figure.previous) : `${decimal(figure.previous)}${figure.unit}`;
}

/** Same-period change: "上升30.0%", "下降12.5%", "上升5.2个百分点", "持平", or why not computed. */
export function figureChange(figure: IndicatorFigure): string {
  if (figure.previous === null) return '无上年同期数据';
  if (suppressed(figure) || previousSuppressed(figure)) return '基数<5，不作同比';
  if (figure.kind === 'share') {
    const pp = (figure.value - figure.previous) * 100;
    if (Math.abs(pp) < 0.05) return '持平';
    return `${pp > 0 ? '上升' : '下降'}${Math.abs(pp).toFixed(1)}个百分点`;
  }
  if (figure.previous === 0) return '上年同期为0';
  const change = (figure.value - figure.previous) / figure.previous;
  if (Math.abs(change) < 0.0005) return '持平';
  return `${change > 0 ? '上升' : '下降'}${percent(Math.abs(change))}`;
}

/** Signed relative change for tables and charts, or null when it may not be printed. */
export function figureChangeRatio(figure: IndicatorFigure): number | null {
  if (figure.previous === null || figure.previous === 0 || suppressed(figure) || previousSuppressed(figure)) return null;
  return figure.kind === 'share' ? figure.value - figure.previous : (figure.value - figure.previous) / figure.previous;
}

/** Base as printed: "南阳市平均 0.82件/万人（本期为其1.65倍）" or "—". */
export function figureBase(figure: IndicatorFigure): string {
  if (!figure.base) return '—';
  const { label, value } = figure.base;
  const baseText = figure.kind === 'share' ? percent(value) : figure.kind === 'count' ? formatCount(value, figure.unit) : `${decimal(value)}${figure.unit}`;
  if (suppressed(figure) || value <= 0 || (figure.kind === 'count' && isSmallCell(value))) return `${label}${baseText}`;
  return `${label}${baseText}（本期为其${(figure.value / value).toFixed(2)}倍）`;
}

/** The top `limit` townships by count, counts suppressed. */
export function topTownships(figure: IndicatorFigure, limit = 5): { name: string; count: string; level: string }[] {
  return [...figure.townships]
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh-CN'))
    .slice(0, limit)
    .map((t) => ({ name: t.name, count: formatCount(t.count, '件'), level: t.level ? levelName(t.level) : '—' }));
}

export function levelCell(figure: IndicatorFigure): TableCell {
  return { text: levelText(figure.level), tone: levelTone(figure.level) };
}

/** One row per indicator: 指标, 本期, 上年同期, 同比, 比较基准, 风险等级. */
export function figuresTable(figures: readonly IndicatorFigure[], title?: string): Block {
  return {
    type: 'table',
    ...(title ? { title } : {}),
    columns: [
      { header: '指标', width: 3.2 },
      { header: '本期', width: 1.6, align: 'center' },
      { header: '上年同期', width: 1.6, align: 'center' },
      { header: '同比', width: 1.8, align: 'center' },
      { header: '比较基准', width: 2.6 },
      { header: '风险等级', width: 1.8, align: 'center' },
    ],
    rows: figures.map((f) => [`${f.id} ${f.name}`, figureValue(f), figurePrevious(f), figureChange(f), figureBase(f), levelCell(f)]),
  };
}

/** True when the trend has at least two points that may be printed (otherwise no chart). */
export function hasPrintableTrend(figure: IndicatorFigure): boolean {
  return figure.trend.filter((t) => !isSmallCell(t.basisCount)).length >= 2;
}

/** A chart's point for a value of `kind`, or a gap when fewer than 5 cases are behind it. */
export function chartPoint(kind: IndicatorFigure['kind'], point: { value: number; basisCount: number }): number | null {
  if (isSmallCell(point.basisCount)) return null;
  return kind === 'share' ? Number((point.value * 100).toFixed(1)) : Number(point.value.toFixed(2));
}

/** The unit a chart of `figure` is drawn in. */
export const chartUnit = (figure: IndicatorFigure): string => (figure.kind === 'share' ? '%' : figure.unit);

/** The trend of one indicator; points that may not be printed are left as gaps. */
export function trendChart(figure: IndicatorFigure): TrendChart {
  return {
    type: 'trend',
    title: `${figure.name}变化趋势`,
    unit: chartUnit(figure),
    categories: figure.trend.map((t) => t.label),
    series: [{ name: figure.name, values: figure.trend.map((t) => chartPoint(figure.kind, t)) }],
  };
}

/** Label of a cell withheld only so that a suppressed neighbour cannot be derived from the total. */
export const COMPLEMENTARY = '*';

/**
 * Township × indicator grid: cell label = suppressed count, colour = township risk level.
 * Only indicators with a township breakdown make columns. A column lists every township of an
 * indicator whose county total is printed elsewhere, so a single "<5" could be computed back
 * from the total: then the next smallest cell is withheld too (complementary suppression, "*").
 */
export function townshipHeatGrid(title: string, townships: readonly string[], figures: readonly IndicatorFigure[]): HeatGridChart {
  const withTowns = figures.filter((f) => f.townships.length > 0);
  const columns = withTowns.map((f) => {
    const counts = townships.map((name) => f.townships.find((x) => x.name === name)?.count ?? 0);
    const labels = counts.map((c) => formatCount(c));
    const small = counts.filter((c) => isSmallCell(c)).length;
    if (small === 1) {
      const candidates = counts.map((c, i) => ({ c, i })).filter(({ c }) => !isSmallCell(c));
      const smallest = candidates.sort((a, b) => a.c - b.c)[0];
      if (smallest) labels[smallest.i] = COMPLEMENTARY;
    }
    return { figure: f, labels };
  });
  return {
    type: 'heat_grid',
    title,
    rows: [...townships],
    columns: withTowns.map((f) => `${f.id} ${f.name}`),
    cells: townships.map((name, row) =>
      columns.map(({ figure, labels }) => {
        const t = figure.townships.find((x) => x.name === name);
        return { label: labels[row]!, tone: t?.level ? levelTone(t.level) : null };
      }),
    ),
  };
}

/** Number of indicators per risk level in each domain (counts of indicators, not of cases). */
export function levelBarsChart(title: string, figures: readonly IndicatorFigure[]): LevelBarsChart {
  const domains = [...new Set(figures.map((f) => f.domain))];
  return {
    type: 'level_bars',
    title,
    categories: domains,
    series: riskLevels.map((level) => ({
      name: levelName(level),
      tone: levelTone(level),
      values: domains.map((d) => figures.filter((f) => f.domain === d && f.level === level).length),
    })),
  };
}

/** Annex table: how each indicator is computed and judged, and the data cut-off. */
export function definitionsTable(figures: readonly IndicatorFigure[], dataCutOff: string, court: string): Block[] {
  return [
    {
      type: 'table',
      columns: [
        { header: '指标', width: 2.4 },
        { header: '计算口径', width: 4 },
        { header: '风险判定规则', width: 3.4 },
        { header: '责任单位', width: 2.2 },
      ],
      rows: figures.map((f) => [`${f.id} ${f.name}`, f.definition.formula, f.definition.thresholds, f.definition.owners.join('、')]),
    },
    { type: 'paragraph', text: `数据来源：${court}案件管理系统司法大数据；数据截止日期：${numericDate(dataCutOff)}。` },
    { type: 'paragraph', text: SUPPRESSION_NOTE },
  ];
}
