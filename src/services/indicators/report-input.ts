import { monthsBetween, monthsOf } from '../../domain/cases/coverage.ts';
import type { AssessmentReportInput } from '../../domain/documents/assessment-report.ts';
import type { DataQuality } from '../../domain/documents/data-quality.ts';
import type { IndicatorFigure, IndicatorOutcome, Organs } from '../../domain/documents/inputs.ts';
import type { Contact } from '../../domain/documents/model.ts';
import { comparisonPeriods, type Period } from '../../domain/indicators/compile.ts';
import type { Bands, VersionedDefinition } from '../../domain/indicators/definition.ts';
import { COUNTY, type IndicatorResult } from '../../domain/indicators/evaluate.ts';
import { comparableYears } from '../../domain/indicators/history.ts';
import { classifyOutcome } from '../../domain/loop/outcomes.ts';
import type { Queryable } from '../audit.ts';
import { shortUnitName } from '../display-names.ts';
import { reasonOutsideCourt } from '../small-cells.ts';
import { loadCoverage, refusals } from '../imports/coverage.ts';
import type { WorkCalendar } from '../../domain/loop/working-days.ts';

/**
 * A stored indicator run → the assessment report's input (DOMAIN.md §4, 第七条): figures with
 * their base, trend and township spread, the case totals, an analysis line per high-risk
 * indicator and a suggestion per notified unit; for the annual report, how last year's high-risk
 * indicators fared. Everything is aggregate: no case row leaves the court.
 */

type Result = IndicatorResult & { valueId: string; version: number };

const unitOf: Record<VersionedDefinition['unit'], { kind: IndicatorFigure['kind']; unit: string }> = {
  count: { kind: 'count', unit: '件' },
  share: { kind: 'share', unit: '%' },
  ratio: { kind: 'rate', unit: '' },
  days: { kind: 'rate', unit: '天' },
  amount: { kind: 'rate', unit: '元' },
  per100: { kind: 'rate', unit: '次/百件' },
};

function thresholds(bands: Bands): string {
  if (bands.kind === 'default') {
    return `同比上升${bands.medium.yoy * 100}%或达基准${bands.medium.ratio}倍为中风险，${bands.high.yoy * 100}%或${bands.high.ratio}倍为高风险，同时达到${bands.critical.yoy * 100}%和${bands.critical.ratio}倍为重大风险`;
  }
  const cmp = bands.direction === 'higher' ? '≥' : '<';
  return (['medium', 'high', 'critical'] as const)
    .filter((l) => bands[l] !== undefined)
    .map((l) => `${cmp}${bands[l]}为${{ medium: '中', high: '高', critical: '重大' }[l]}风险`)
    .join('，');
}

/**
 * One indicator's figure as documents print it, county-wide or for one township (a township's
 * notice quotes its own value): value, last year, base, township spread, trend and definition.
 */
export function figureBuilder(units: ReadonlyMap<string, string>, period: { kind: 'half_year' | 'annual'; year: number }) {
  const label = (year: number) => (period.kind === 'half_year' ? `${year}年上半年` : `${year}年`);
  return (d: VersionedDefinition, results: readonly IndicatorResult[], region: string = COUNTY): IndicatorFigure | null => {
    const row = results.find((r) => r.indicatorId === d.id && r.region === region);
    if (!row) return null;
    const { kind, unit } = unitOf[d.unit];
    const scale = d.unit === 'share' ? 0.01 : 1;
    const value = (row.value ?? 0) * scale;
    return {
      id: d.id,
      name: region === COUNTY ? d.name : `${d.name}（${shortUnitName(units.get(region) ?? region)}）`,
      domain: d.domain,
      kind,
      unit,
      value,
      previous: row.previous === null ? null : row.previous * scale,
      basisCount: row.n,
      previousBasisCount: d.unit === 'count' ? row.previous : null,
      // A township's count is compared per 10k residents: its base is a rate, not printable beside a count.
      base: row.base === null || (region !== COUNTY && d.unit === 'count') ? null : { label: region === COUNTY ? '县近三年同期均值' : '全县平均水平', value: row.base * scale },
      level: row.level,
      townships: results
        .filter((r) => r.indicatorId === d.id && r.region !== COUNTY)
        .map((r) => ({ name: shortUnitName(units.get(r.region) ?? r.region), count: d.unit === 'count' ? (r.value ?? 0) : r.n, level: r.level })),
      trend: [
        ...(row.previous === null ? [] : [{ label: label(period.year - 1), value: row.previous * scale, basisCount: d.unit === 'count' ? row.previous : row.n }]),
        { label: label(period.year), value, basisCount: row.n },
      ],
      definition: { formula: d.description, thresholds: thresholds(d.bands), owners: [...d.owners, ...d.coOwners].map((id) => units.get(id) ?? id) },
    };
  };
}
const isHigh = (level: string) => level === 'high' || level === 'critical';

/** A report's suggestion to a unit that will get a 风险提示函 (第八条). */
export function noticeSuggestion(r: { departmentId: string; indicatorIds: readonly string[] }, units: ReadonlyMap<string, string>, definitions: readonly VersionedDefinition[]): string {
  const names = r.indicatorIds.map((id) => definitions.find((d) => d.id === id)?.name ?? id);
  return `建议${units.get(r.departmentId) ?? r.departmentId}针对“${names.join('”“')}”开展分析研判，提出工作意见并抓好落实（第八条）。`;
}

export async function assessmentReportInput(
  q: Queryable,
  o: {
    runId: string;
    period: { kind: 'half_year' | 'annual'; year: number; start: string; end: string };
    definitions: readonly VersionedDefinition[];
    results: readonly Result[];
    recipients: readonly { departmentId: string; indicatorIds: string[] }[];
    previousAnnual: { results: readonly Result[] } | null;
    issuedOn: string;
    organs: Organs;
    contact: Contact;
    /** The county's working days (HOLIDAYS_FILE), for the data's coverage; the shipped calendar when absent. */
    calendar?: WorkCalendar;
  },
): Promise<AssessmentReportInput> {
  const units = new Map((await q.query<{ id: string; name: string }[]>(`SELECT id, name FROM department ORDER BY sort_order`)).map((u) => [u.id, u.name]));
  const townshipIds = (await q.query<{ id: string }[]>(`SELECT id FROM department WHERE kind = 'township' ORDER BY sort_order`)).map((r) => r.id);
  const [, ...earlier] = comparisonPeriods(o.period);
  const lastYear = earlier[0]!;
  const totals = await q.query<{ case_type: string; count: number; previous: number }[]>(
    `SELECT case_type, count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2)::int AS count, count(*) FILTER (WHERE filing_date BETWEEN $3 AND $4)::int AS previous
     FROM case_record WHERE filing_date BETWEEN $3 AND $2 GROUP BY case_type ORDER BY count DESC`,
    [o.period.start, o.period.end, lastYear.start, lastYear.end],
  );
  const dataQuality = await dataQualityOf(q, { ...o.period, issuedOn: o.issuedOn, earlier, units, calendar: o.calendar });
  // Last year's totals only where its data was imported: a year without data is "—", not 0.
  const lastYearKnown = dataQuality.comparisons[0]!.comparable;
  const figureOf = figureBuilder(units, { kind: o.period.kind, year: o.period.year });

  const figures = o.definitions.map((d) => figureOf(d, o.results)).filter((f): f is IndicatorFigure => f !== null);
  const analyses = figures
    .filter((f) => isHigh(f.level))
    .map((f) => {
      const county = o.results.find((r) => r.indicatorId === f.id && r.region === COUNTY)!;
      const hot = o.results
        .filter((r) => r.indicatorId === f.id && r.region !== COUNTY && isHigh(r.level))
        .map((r) => shortUnitName(units.get(r.region) ?? r.region));
      const where = hot.length ? `，风险主要集中在${hot.slice(0, 5).join('、')}${hot.length > 5 ? `等${hot.length}个乡镇（街道）` : ''}` : '';
      // The report goes to the county's leaders: the reason's words carry no count under 5 (第二十条).
      const reason = reasonOutsideCourt(county, o.definitions.find((d) => d.id === f.id)?.unit);
      return { indicatorId: f.id, text: `${reason}${where}。` };
    });
  const suggestions = o.recipients.map((r) => noticeSuggestion(r, units, o.definitions));

  let evaluation: AssessmentReportInput['evaluation'];
  if (o.period.kind === 'annual') {
    const outcomes: IndicatorOutcome[] = [];
    for (const before of (o.previousAnnual?.results ?? []).filter((r) => r.region === COUNTY && isHigh(r.level))) {
      const d = o.definitions.find((x) => x.id === before.indicatorId);
      const now = o.results.find((r) => r.indicatorId === before.indicatorId && r.region === COUNTY);
      const figure = d ? figureOf(d, o.results) : null;
      if (!d || !now || !figure || now.value === null || before.value === null) continue;
      const higherIsRiskier = !(d.bands.kind === 'absolute' && d.bands.direction === 'lower');
      const outcome = classifyOutcome(
        { indicatorId: d.id, regionId: COUNTY, higherIsRiskier, previous: { value: before.value, level: before.level }, current: { value: now.value, level: now.level } },
        { changeThreshold: 0.1 },
      );
      const [links] = await q.query<{ measures: number; items: number }[]>(
        `SELECT count(DISTINCT m.id)::int AS measures, count(DISTINCT i.id)::int AS items
         FROM measure m LEFT JOIN supervision_item i ON i.measure_id = m.id
         JOIN work_opinion w ON w.id = m.opinion_id JOIN risk_notice n ON n.id = w.notice_id
         WHERE $1 = ANY(m.indicator_ids) AND n.round_id = $2`,
        [d.id, `${o.period.year - 1}-Y`],
      );
      outcomes.push({ figure, previousLevel: before.level, outcome: outcome.outcome, measures: links?.measures ?? 0, items: links?.items ?? 0 });
    }
    evaluation = { year: o.period.year - 1, outcomes };
  }

  return {
    issuedOn: o.issuedOn,
    organs: o.organs,
    period: { kind: o.period.kind, year: o.period.year },
    dataCutOff: o.period.end,
    caseTotals: totals.map((t) => ({ type: t.case_type, count: t.count, previous: lastYearKnown ? t.previous : null })),
    figures,
    townships: townshipIds.map((id) => shortUnitName(units.get(id) ?? id)),
    analyses,
    suggestions,
    ...(evaluation ? { evaluation } : {}),
    dataQuality,
    contact: o.contact,
  };
}

/**
 * The report's 数据说明 (issue 17 rule 13): the case-data imports, the uploads refused from the
 * period's start to the report's date, which earlier periods the county-wide comparisons may use,
 * and the period's coverage grid with the townships by name.
 */
async function dataQualityOf(
  q: Queryable,
  o: { kind: 'half_year' | 'annual'; start: string; end: string; issuedOn: string; earlier: Period[]; units: ReadonlyMap<string, string>; calendar?: WorkCalendar },
): Promise<DataQuality> {
  const [imports] = await q.query<{ files: number; rows_read: number; first: string | null; last: string | null }[]>(
    `SELECT count(*)::int AS files, coalesce(sum(rows_read), 0)::int AS rows_read,
       to_char(min(first_filing_date), 'YYYY-MM-DD') AS first, to_char(max(last_filing_date), 'YYYY-MM-DD') AS last
     FROM import_file WHERE kind = 'case_record'`,
  );
  const grid = await loadCoverage(q, monthsOf(o), Infinity, o.calendar);
  const history = comparableYears(await loadCoverage(q, monthsBetween(o.earlier.at(-1)!.start.slice(0, 7), o.earlier[0]!.end.slice(0, 7)), Infinity, o.calendar), o.earlier).get(COUNTY)!;
  const label = (p: Period) => (o.kind === 'half_year' ? `${p.start.slice(0, 4)}年上半年` : `${p.start.slice(0, 4)}年`);
  return {
    files: imports!.files,
    rowsRead: imports!.rows_read,
    span: imports!.first && imports!.last ? { first: imports!.first, last: imports!.last } : null,
    refusals: await refusals(q, o.start, o.issuedOn),
    coverage: { ...grid, townships: grid.townships.map((id) => shortUnitName(o.units.get(id) ?? id)) },
    comparisons: o.earlier.map((p, k) => ({ label: label(p), comparable: history[k]! })),
  };
}
