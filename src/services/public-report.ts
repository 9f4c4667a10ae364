import type { DataSource } from 'typeorm';
import { suppressCountsInText } from '../domain/documents/format.ts';
import { outcomeLabels, type OutcomeClass } from '../domain/loop/outcomes.ts';
import { toLocalDate } from '../domain/loop/working-days.ts';
import { NotFoundError } from '../shared/errors.ts';

/**
 * The public annual report (第十七条) for the page anyone may open: the latest published year,
 * aggregates only — how many of last year's high-risk indicators were resolved, improved,
 * unchanged or worse, per domain, and the published report's text. Nothing names a person or
 * a case, and nothing unpublished is shown.
 */
export interface PublicReport {
  year: number;
  publishedAt: string;
  outcomes: { outcome: OutcomeClass; label: string; count: number }[];
  byDomain: { domain: string; counts: Record<OutcomeClass, number> }[];
  text: string | null;
}

/** One 挂牌督办 as it is made public (DOMAIN.md §4.5: listing and 摘牌 are published). */
export interface PublicListing {
  number: string;
  unit: string;
  matter: string;
  listedOn: string | null;
  deadline: string;
  status: '整改中' | '已摘牌';
  delistedOn: string | null;
}

export function createPublicReportService(deps: { db: DataSource }) {
  return {
    /** 挂牌督办公示: every listing with its unit, matter, deadline and whether it was removed; no names, no counts under 5. */
    async listings(): Promise<PublicListing[]> {
      const rows = await deps.db.query<{ number: string; unit: string; title: string; listed_at: Date | null; deadline: Date; delisted_at: Date | null }[]>(
        `SELECT l.number, d.name AS unit, i.title, e.at AS listed_at, l.deadline, l.delisted_at
           FROM listing l JOIN supervision_item i ON i.id = l.item_id JOIN department d ON d.id = l.department_id
           LEFT JOIN escalation_event e ON e.item_id = l.item_id AND e.kind = 'listing'
          ORDER BY e.at DESC NULLS LAST, l.number DESC`,
      );
      return rows.map((r) => ({
        number: r.number,
        unit: r.unit,
        matter: suppressCountsInText(r.title),
        listedOn: r.listed_at ? toLocalDate(r.listed_at) : null,
        deadline: toLocalDate(r.deadline),
        status: r.delisted_at ? '已摘牌' : '整改中',
        delistedOn: r.delisted_at ? toLocalDate(r.delisted_at) : null,
      }));
    },

    async latest(): Promise<PublicReport> {
      const [row] = await deps.db.query<{ year: number; published_at: Date; outcomes: { indicatorId: string; outcome: OutcomeClass }[] | null; text_body: string | null }[]>(
        `SELECT e.year, e.published_at, e.outcomes, d.text_body FROM effectiveness_evaluation e
         LEFT JOIN document d ON d.id = e.public_report_document_id AND d.audience = 'public'
         WHERE e.published_at IS NOT NULL ORDER BY e.year DESC LIMIT 1`,
      );
      if (!row) throw new NotFoundError('尚未发布年度报告');
      const domains = new Map(
        (await deps.db.query<{ id: string; domain: string }[]>(`SELECT DISTINCT ON (id) id, definition->>'domain' AS domain FROM indicator_definition ORDER BY id, version DESC`)).map((d) => [d.id, d.domain]),
      );
      const classes = Object.keys(outcomeLabels) as OutcomeClass[];
      const outcomes = row.outcomes ?? [];
      const empty = () => Object.fromEntries(classes.map((c) => [c, 0])) as Record<OutcomeClass, number>;
      const byDomain = new Map<string, Record<OutcomeClass, number>>();
      for (const o of outcomes) {
        const domain = domains.get(o.indicatorId) ?? '其他';
        const counts = byDomain.get(domain) ?? empty();
        counts[o.outcome] += 1;
        byDomain.set(domain, counts);
      }
      return {
        year: row.year,
        publishedAt: row.published_at.toISOString(),
        outcomes: classes.map((c) => ({ outcome: c, label: outcomeLabels[c], count: outcomes.filter((o) => o.outcome === c).length })),
        byDomain: [...byDomain.entries()].map(([domain, counts]) => ({ domain, counts })),
        text: row.text_body,
      };
    },
  };
}

export type PublicReportService = ReturnType<typeof createPublicReportService>;
