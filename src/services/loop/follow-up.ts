import type { FollowUp } from '../../domain/documents/follow-up.ts';
import type { RiskLevel } from '../../domain/documents/format.ts';
import type { IndicatorFigure } from '../../domain/documents/inputs.ts';
import { COUNTY } from '../../domain/indicators/evaluate.ts';
import type { Queryable } from '../audit.ts';
import type { IndicatorService } from '../indicators/engine.ts';

/**
 * What a half-year report follows up (issue 19 point 8): the round approved before this period
 * began, the indicators its 风险提示函 named, the measures of the accepted opinions and the items
 * they became, and this period's figures of those indicators. Null when there is no such round.
 */
export async function loadFollowUp(
  q: Queryable,
  indicators: IndicatorService,
  o: { periodStart: string; now: string; figures: readonly IndicatorFigure[]; caseTotals: readonly { count: number; previous: number | null }[] },
): Promise<FollowUp | null> {
  const [last] = await q.query<{ id: string; kind: 'half_year' | 'annual'; year: number; run_id: string }[]>(
    `SELECT id, kind, extract(year FROM period_start)::int AS year, indicator_run_id AS run_id FROM assessment_round
      WHERE indicator_run_id IS NOT NULL AND topic IS NULL AND status IN ('approved', 'notices_sent', 'closed') AND period_end < $1::date
      ORDER BY period_end DESC, approved_at DESC NULLS LAST LIMIT 1`,
    [o.periodStart],
  );
  if (!last) return null;
  const targeted = (await q.query<{ id: string }[]>(`SELECT DISTINCT unnest(indicator_ids) AS id FROM risk_notice WHERE round_id = $1 ORDER BY 1`, [last.id])).map((r) => r.id);
  const work = await q.query<{ indicator_id: string; measures: number; closed: number; open: number; overdue: number }[]>(
    `SELECT x.indicator_id, count(DISTINCT m.id)::int AS measures,
            count(i.id) FILTER (WHERE i.status = 'closed')::int AS closed,
            count(i.id) FILTER (WHERE i.status <> 'closed')::int AS open,
            count(i.id) FILTER (WHERE i.status <> 'closed' AND i.deadline < $2::timestamptz)::int AS overdue
       FROM risk_notice n JOIN work_opinion w ON w.notice_id = n.id AND w.review_decision = 'accept'
       JOIN measure m ON m.opinion_id = w.id CROSS JOIN unnest(m.indicator_ids) AS x(indicator_id)
       LEFT JOIN supervision_item i ON i.measure_id = m.id
      WHERE n.round_id = $1 GROUP BY x.indicator_id`,
    [last.id, o.now],
  );
  const previous = new Map((await indicators.results(last.run_id)).filter((r) => r.region === COUNTY).map((r) => [r.indicatorId, r.level as RiskLevel]));
  const total = o.caseTotals.reduce((n, t) => n + t.count, 0);
  const before = o.caseTotals.every((t) => t.previous !== null) ? o.caseTotals.reduce((n, t) => n + t.previous!, 0) : null;
  return {
    lastRound: `${last.year}年${last.kind === 'annual' ? '度' : '上半年'}评估（${last.id}）`,
    // Small totals are not compared (第二十条): the county's total is never near 5, a test county's may be.
    countyTrend: before !== null && before >= 5 && total >= 5 ? (total - before) / before : null,
    indicators: targeted.flatMap((id) => {
      const figure = o.figures.find((f) => f.id === id);
      const w = work.find((x) => x.indicator_id === id);
      return figure ? [{ figure, previousLevel: previous.get(id) ?? 'high', measures: w?.measures ?? 0, items: { closed: w?.closed ?? 0, open: w?.open ?? 0, overdue: w?.overdue ?? 0 } }] : [];
    }),
  };
}
