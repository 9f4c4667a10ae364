import { comparisonPeriods, type Period } from '../../domain/indicators/compile.ts';
import { indicatorLabel } from '../../domain/indicators/labels.ts';
import { compareRuns, reproductionSummary, type FigureDifference } from '../../domain/indicators/reproduction.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { Actor } from '../actor.ts';
import { writeAudit, type Queryable } from '../audit.ts';
import { unitNames } from '../display-names.ts';
import type { IndicatorService } from './engine.ts';

/**
 * The checksum of what a run reads: every case row its scan can touch (filed by the period's end,
 * not closed before the earliest comparison period), the 信访/舆情 months of those periods and the
 * population years up to the period's end. An order-free sum of the rows' own hashes (case_record's
 * generated row_hash): one pass, no sort, and any changed, added or removed row changes it.
 */
export async function dataChecksum(q: Queryable, period: Period): Promise<{ cases: number; checksum: string }> {
  const earliest = comparisonPeriods(period).at(-1)!.start;
  const [row] = await q.query<{ cases: number; checksum: string }[]>(
    `WITH c AS (SELECT count(*) AS n, coalesce(sum(row_hash::numeric), 0) AS s FROM case_record
                 WHERE filing_date <= $1::date AND (closing_date IS NULL OR closing_date >= $2::date)),
          g AS (SELECT count(*) AS n, coalesce(sum(hashtextextended(township || '|' || month || '|' || petition_count || '|' || public_opinion_count, 0)::numeric), 0) AS s
                  FROM township_signal WHERE month BETWEEN date_trunc('month', $2::date) AND $1::date),
          p AS (SELECT count(*) AS n, coalesce(sum(hashtextextended(township || '|' || year || '|' || resident_population, 0)::numeric), 0) AS s
                  FROM township_population WHERE year <= extract(year FROM $1::date))
     SELECT c.n::int AS cases, md5(concat_ws('/', c.n, c.s, g.n, g.s, p.n, p.s)) AS checksum FROM c, g, p`,
    [period.end, earliest],
  );
  return row!;
}

export interface RunCheck {
  roundId: string;
  runId: string;
  period: Period;
  /** Whether the data the run read is as it was; null for runs stored before checksums were kept. */
  dataUnchanged: boolean | null;
  casesThen: number | null;
  casesNow: number;
  /** Recomputed on the rows as the run saw them (or, for a run from before row versions were kept, on today's), it gives the stored figures. */
  reproduced: boolean;
  /** Whether the rows as the run saw them could be read (false: a run from before row versions were kept). */
  asRun: boolean;
  /** Figures today's data would change. */
  differenceCount: number;
  /** The first of them, with the indicator and region named. */
  differences: (FigureDifference & { indicator: string; regionName: string })[];
  summary: string;
}

const SHOWN_DIFFERENCES = 50;

/** 复算核对: the court checks that a past round still stands, and learns what changed if it does not. */
export function createRunCheck(deps: { db: Queryable; indicators: IndicatorService }) {
  const { db, indicators } = deps;
  return {
    async checkRound(actor: Actor, roundId: string): Promise<RunCheck> {
      const [run] = await db.query<{ id: string; period_start: string; period_end: string; data_cases: number | null; data_checksum: string | null }[]>(
        `SELECT r.id, to_char(r.period_start, 'YYYY-MM-DD') AS period_start, to_char(r.period_end, 'YYYY-MM-DD') AS period_end, r.data_cases, r.data_checksum
           FROM assessment_round a JOIN indicator_run r ON r.id = a.indicator_run_id WHERE a.id = $1`,
        [roundId],
      );
      if (!run) throw new NotFoundError('评估轮次不存在或尚未计算指标');
      const period = { start: run.period_start, end: run.period_end };
      const now = await dataChecksum(db, period);
      // A recompute reproduces computed levels; a joint meeting's re-assessment is not a difference.
      const stored = (await indicators.results(run.id)).map((r) => ({ ...r, level: r.computedLevel }));
      const asRun = await indicators.recompute(run.id, 'as_run');
      const reproduction = compareRuns(stored, asRun.results);
      const dataUnchanged = run.data_checksum === null ? null : run.data_checksum === now.checksum;
      // Unchanged data (or a run that can only be read on today's rows) needs no second computation.
      const today = asRun.asRun && dataUnchanged !== true ? compareRuns(stored, (await indicators.recompute(run.id, 'today')).results) : reproduction;
      const names = await unitNames(db);
      const indicatorNames = new Map((await indicators.latestDefinitions()).map((d) => [d.id, d.name]));
      const check: RunCheck = {
        roundId,
        runId: run.id,
        period,
        dataUnchanged,
        casesThen: run.data_cases,
        casesNow: now.cases,
        reproduced: reproduction.length === 0,
        asRun: asRun.asRun,
        differenceCount: today.length,
        differences: today.slice(0, SHOWN_DIFFERENCES).map((d) => ({
          ...d,
          indicator: indicatorLabel(d.indicatorId, indicatorNames),
          regionName: d.region === 'county' ? '全县' : (names.get(d.region) ?? d.region),
        })),
        summary: reproductionSummary({
          asRunDifferences: asRun.asRun ? reproduction.length : null,
          todayDifferences: today.length,
          dataUnchanged,
          casesThen: run.data_cases,
          casesNow: now.cases,
        }),
      };
      // Reads derived from case data are on record (第二十条), with what the check found.
      await writeAudit(db, actor, {
        action: 'indicator_run.verify',
        entityType: 'indicator_run',
        entityId: run.id,
        departmentId: actor.departmentId,
        after: { roundId, dataUnchanged, reproduced: check.reproduced, asRun: check.asRun, differences: today.length, casesThen: run.data_cases, casesNow: now.cases },
      });
      return check;
    },
  };
}

export type RunCheckService = ReturnType<typeof createRunCheck>;
