import type { DataSource } from 'typeorm';
import type { IndicatorDefinition } from '../domain/indicators/definition.ts';
import { compareIndicatorCodes } from '../domain/indicators/labels.ts';
import { dueLight } from '../domain/loop/escalation.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { Clock } from '../shared/time.ts';
import { seesCounty, type Actor } from './actor.ts';
import { writeAudit } from './audit.ts';
import { shortUnitName, unitNames } from './display-names.ts';
import { insideCourt, reasonFor, smallBasis } from './small-cells.ts';

/**
 * 驾驶舱 (PRODUCT.md §7): one round's indicators in code order (A1 … F4) by domain and region (county and the 23
 * townships) with their levels, each indicator's county history over every computed round, the
 * loop's counts (open notices, items red/yellow/green) and the units with the most overdue items.
 * Indicator values are aggregates of court data; counts under 5 leave the court as "<5" for every
 * role but the court's (第二十条), in the values and in the reasons' words alike (small-cells.ts).
 * A department's counts are its own; the county's roles see all.
 */

export interface CockpitCell {
  indicatorId: string;
  region: string;
  level: 'low' | 'medium' | 'high' | 'critical';
  value: number | null;
  /** True when the count behind the value is under 5 (0 included, as documents print it) and the caller is outside the court. */
  suppressed: boolean;
  reason: string;
  /** The joint meeting's re-assessment (第十条(二)) that set `level` in place of the computed one. */
  reassessment: { computedLevel: CockpitCell['level']; meetingId: string; analysis: string } | null;
}

export interface Cockpit {
  rounds: { id: string; kind: string; periodStart: string; periodEnd: string; status: string }[];
  round: { id: string; periodStart: string; periodEnd: string } | null;
  indicators: { id: string; name: string; domain: string; unit: string }[];
  regions: { id: string; name: string }[];
  cells: CockpitCell[];
  history: { indicatorId: string; points: { roundId: string; periodEnd: string; value: number | null; level: string }[] }[];
  counts: { openNotices: number; items: { red: number; yellow: number; green: number } };
  mostOverdue: { departmentId: string; name: string; overdue: number }[];
}

const isoDate = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString().slice(0, 10));

export function createCockpitService(deps: { db: DataSource; clock: Clock }) {
  const { db, clock } = deps;

  return {
    async overview(actor: Actor, roundId?: string): Promise<Cockpit> {
      const rounds = await db.query<{ id: string; kind: string; period_start: Date; period_end: Date; status: string; indicator_run_id: string }[]>(
        `SELECT id, kind, period_start, period_end, status, indicator_run_id FROM assessment_round WHERE indicator_run_id IS NOT NULL AND topic IS NULL ORDER BY period_end DESC, id DESC`,
      );
      const selected = roundId ? rounds.find((r) => r.id === roundId) : rounds[0];
      if (roundId && !selected) throw new NotFoundError('评估轮次不存在或尚未计算指标');
      const court = insideCourt(actor);

      const definitions = await db.query<{ id: string; definition: { name: string; domain: string; unit: IndicatorDefinition['unit']; enabled?: boolean } }[]>(
        `SELECT DISTINCT ON (id) id, definition FROM indicator_definition ORDER BY id, version DESC`,
      );
      const regions = await db.query<{ id: string; name: string }[]>(`SELECT id, name FROM department WHERE kind = 'township' ORDER BY sort_order, id`);
      const values = selected
        ? await db.query<
            {
              indicator_id: string;
              region: string;
              level: CockpitCell['level'];
              computed_level: CockpitCell['level'];
              meeting_id: string | null;
              analysis: string | null;
              value: string | null;
              n: number;
              previous: string | null;
              reason: string;
            }[]
          >(
            `SELECT v.indicator_id, v.region, coalesce(x.reassessed_level, v.level) AS level, v.level AS computed_level, x.meeting_id, x.analysis, v.value, v.n, v.previous, v.reason
               FROM indicator_value v LEFT JOIN level_reassessment x ON x.run_id = v.run_id AND x.indicator_id = v.indicator_id AND x.region = v.region
              WHERE v.run_id = $1 ORDER BY v.indicator_id, v.region`,
            [selected.indicator_run_id],
          )
        : [];
      const history = await db.query<{ indicator_id: string; round_id: string; period_end: Date; value: string | null; n: number; level: string }[]>(
        // Only rounds of the selected kind: a half year against a whole year would mislead.
        `SELECT v.indicator_id, r.id AS round_id, r.period_end, v.value, v.n, coalesce(x.reassessed_level, v.level) AS level
         FROM indicator_value v JOIN assessment_round r ON r.indicator_run_id = v.run_id
         LEFT JOIN level_reassessment x ON x.run_id = v.run_id AND x.indicator_id = v.indicator_id AND x.region = v.region
         WHERE v.region = 'county' AND r.kind = $1 AND r.topic IS NULL ORDER BY r.period_end`,
        [selected?.kind ?? 'annual'],
      );

      const hidden = (n: number) => !court && smallBasis({ n });
      const shown = (value: string | null, n: number) => (value === null || hidden(n) ? null : Number(value));
      const units = new Map(definitions.map((d) => [d.id, d.definition.unit]));
      const scoped = !seesCounty(actor);
      const own = [actor.departmentId ?? ''];
      const [{ open_notices }] = await db.query<{ open_notices: number }[]>(
        `SELECT count(*)::int AS open_notices FROM risk_notice WHERE status NOT IN ('accepted','closed') AND (NOT $1 OR department_id = ANY($2))`,
        [scoped, own],
      );
      const items = await db.query<{ id: string; lead_department_id: string; deadline: Date }[]>(
        `SELECT id, lead_department_id, deadline FROM supervision_item
         WHERE status <> 'closed' AND (NOT $1 OR lead_department_id = ANY($2) OR co_department_ids && $2)`,
        [scoped, own],
      );
      const now = clock.now();
      const lights = { red: 0, yellow: 0, green: 0 };
      const overdue = new Map<string, number>();
      for (const i of items) {
        const l = dueLight(i.deadline, now)!;
        lights[l] += 1;
        if (l === 'red') overdue.set(i.lead_department_id, (overdue.get(i.lead_department_id) ?? 0) + 1);
      }
      const names = await unitNames(db);

      const cockpit: Cockpit = {
        rounds: rounds.map((r) => ({ id: r.id, kind: r.kind, periodStart: isoDate(r.period_start), periodEnd: isoDate(r.period_end), status: r.status })),
        round: selected ? { id: selected.id, periodStart: isoDate(selected.period_start), periodEnd: isoDate(selected.period_end) } : null,
        indicators: definitions
          .filter((d) => d.definition.enabled !== false)
          .sort((a, b) => compareIndicatorCodes(a.id, b.id))
          .map((d) => ({ id: d.id, name: d.definition.name, domain: d.definition.domain, unit: d.definition.unit })),
        regions: [{ id: 'county', name: '全县' }, ...regions.map((r) => ({ id: r.id, name: shortUnitName(r.name) }))],
        cells: values.map((v) => {
          const suppressed = hidden(v.n);
          return {
            indicatorId: v.indicator_id,
            region: v.region,
            level: v.level,
            value: shown(v.value, v.n),
            suppressed,
            reason: reasonFor(actor, v, units.get(v.indicator_id)),
            reassessment: v.meeting_id ? { computedLevel: v.computed_level, meetingId: v.meeting_id, analysis: v.analysis ?? '' } : null,
          };
        }),
        history: [...new Set(history.map((h) => h.indicator_id))].map((indicatorId) => ({
          indicatorId,
          points: history
            .filter((h) => h.indicator_id === indicatorId)
            .map((h) => ({ roundId: h.round_id, periodEnd: isoDate(h.period_end), value: shown(h.value, h.n), level: h.level })),
        })),
        counts: { openNotices: open_notices, items: lights },
        mostOverdue: [...overdue.entries()]
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .slice(0, 5)
          .map(([departmentId, n]) => ({ departmentId, name: names.get(departmentId) ?? departmentId, overdue: n })),
      };
      // Figures computed from case data: who looked at which round is audited (第二十条).
      await writeAudit(db, actor, {
        action: 'cockpit.read',
        entityType: 'assessment_round',
        entityId: selected?.id ?? null,
        departmentId: actor.departmentId,
        after: { cells: cockpit.cells.length, suppressed: cockpit.cells.filter((c) => c.suppressed).length },
      });
      return cockpit;
    },
  };
}

export type CockpitService = ReturnType<typeof createCockpitService>;
