import type { DataSource } from 'typeorm';
import type { Config } from '../../config/schema.ts';
import type { IndicatorFigure } from '../../domain/documents/inputs.ts';
import type { TopicReportInput } from '../../domain/documents/topic-report.ts';
import type { VersionedDefinition } from '../../domain/indicators/definition.ts';
import { COUNTY, noticeRecipients, type IndicatorResult } from '../../domain/indicators/evaluate.ts';
import { inTopic, orderedPeriods, periodRange, topicRoundId, type TopicScope } from '../../domain/loop/topic-scope.ts';
import type { EngineGateway } from '../../engine/client.ts';
import { MESSAGE_NAMES } from '../../engine/contract.ts';
import { beijingDay, type Clock } from '../../shared/time.ts';
import { ConflictError, ValidationError } from '../../shared/errors.ts';
import type { Actor } from '../actor.ts';
import { writeAudit, type Queryable } from '../audit.ts';
import { shortUnitName } from '../display-names.ts';
import type { IndicatorService } from '../indicators/engine.ts';
import { figureBuilder, noticeSuggestion } from '../indicators/report-input.ts';
import { issuerContact, loadOrgans } from '../official-documents.ts';
import { reasonOutsideCourt } from '../small-cells.ts';

/**
 * 专题分析 (第六条, issue 19 point 5): a court analyst composes a topic — indicators, townships,
 * periods — and it runs as an assessment round of its own (court review, leader approval,
 * 风险提示函 to the units its latest period finds at risk). The topic is written with the round's
 * row before the process starts, in one transaction with the start message, so a failed start
 * leaves no topic and a topic always has its process.
 */

export interface TopicSummary {
  roundId: string;
  subject: string;
  scope: TopicScope;
  status: string;
  composedBy: string;
  composedAt: string;
  reportDocumentId: string | null;
}

export function createTopicService(deps: { db: DataSource; engine: EngineGateway; config: Config; indicators: IndicatorService; clock: Clock }) {
  const { db } = deps;

  /** The request checked against what exists: enabled indicators, township-level units, periods already over. */
  async function checkScope(q: Queryable, scope: TopicScope, today: string): Promise<TopicScope> {
    const definitions = await deps.indicators.latestDefinitions();
    const townships = (await q.query<{ id: string }[]>(`SELECT id FROM department WHERE kind = 'township' ORDER BY sort_order`)).map((t) => t.id);
    const problems: { field: string; reason: string }[] = [];
    scope.indicatorIds.forEach((id, i) => {
      const d = definitions.find((x) => x.id === id);
      if (!d || d.enabled === false) problems.push({ field: `indicatorIds[${i}]`, reason: `指标 ${id} 不存在或已停用` });
    });
    scope.townshipIds.forEach((id, i) => {
      if (!townships.includes(id)) problems.push({ field: `townshipIds[${i}]`, reason: `${id} 不是乡镇（街道）` });
    });
    const periods = orderedPeriods(scope.periods);
    if (periods.length !== scope.periods.length) problems.push({ field: 'periods', reason: '分析期间不能重复' });
    if (new Set(scope.periods.map((p) => p.kind)).size > 1) problems.push({ field: 'periods', reason: '分析期间应为同一类型（均为上半年或均为全年），以便逐期比较' });
    scope.periods.forEach((p, i) => {
      if (periodRange(p).end >= today) problems.push({ field: `periods[${i}]`, reason: `${p.year}年${p.kind === 'annual' ? '度' : '上半年'}尚未结束，不能分析` });
    });
    if (problems.length) throw new ValidationError(problems);
    // Townships in the county's order: the tables read as the county lists its units.
    return { ...scope, subject: scope.subject.trim(), townshipIds: townships.filter((t) => scope.townshipIds.includes(t)), periods };
  }

  const scopeOf = async (q: Queryable, roundId: string): Promise<TopicScope | null> => {
    const [row] = await q.query<{ topic: TopicScope | null }[]>(`SELECT topic FROM assessment_round WHERE id = $1`, [roundId]);
    return row?.topic ?? null;
  };

  return {
    scopeOf: (roundId: string) => scopeOf(db, roundId),

    /** Writes the topic's round and starts its process (one transaction); the analyst's 专题分析 is audited. */
    async compose(actor: Actor, request: TopicScope): Promise<{ roundId: string }> {
      const today = beijingDay(deps.clock.now());
      return db.transaction(async (tx) => {
        const scope = await checkScope(tx, request, today);
        const year = Number(today.slice(0, 4));
        // One composer at a time per year: the serial is the count of the year's topics plus one.
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext('topic-round:' || $1))`, [year]);
        const [{ n }] = await tx.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM assessment_round WHERE topic IS NOT NULL AND id LIKE $1`, [`${year}-T%`]);
        const roundId = topicRoundId(year, n + 1);
        const last = scope.periods[scope.periods.length - 1]!;
        const { start, end } = periodRange(last);
        const duplicate = await tx.query<{ id: string }[]>(`SELECT id FROM assessment_round WHERE topic = $1::jsonb AND status <> 'closed'`, [JSON.stringify(scope)]);
        if (duplicate[0]) throw new ConflictError(`相同范围的专题分析 ${duplicate[0].id} 正在办理`);
        await tx.query(`INSERT INTO assessment_round (id, kind, period_start, period_end, topic, composed_by) VALUES ($1, $2, $3, $4, $5, $6)`, [
          roundId,
          last.kind,
          start,
          end,
          JSON.stringify(scope),
          actor.displayName,
        ]);
        await writeAudit(tx, actor, { action: 'topic_report.compose', entityType: 'assessment_round', entityId: roundId, after: scope });
        const started = await deps.engine.publishMessage({
          name: MESSAGE_NAMES.startAssessmentRound,
          correlationKey: roundId,
          messageId: roundId,
          timeToLiveMs: 0,
          variables: { roundId, roundKind: 'topic', year: last.year, periodStart: start, periodEnd: end },
        });
        if (!started) throw new ConflictError('专题分析流程未能启动，请稍后重试');
        return { roundId };
      });
    },

    /** Every topic, newest first: what the court composed and where each stands. */
    async list(): Promise<TopicSummary[]> {
      const rows = await db.query<{ id: string; topic: TopicScope; status: string; composed_by: string; created_at: Date; report_document_id: string | null }[]>(
        `SELECT id, topic, status, composed_by, created_at, report_document_id::text FROM assessment_round WHERE topic IS NOT NULL ORDER BY created_at DESC, id DESC`,
      );
      return rows.map((r) => ({
        roundId: r.id,
        subject: r.topic.subject,
        scope: r.topic,
        status: r.status,
        composedBy: r.composed_by,
        composedAt: r.created_at.toISOString(),
        reportDocumentId: r.report_document_id,
      }));
    },

    /** The units a topic's latest period finds at risk, among its indicators and townships (第七条). */
    recipients(scope: TopicScope, definitions: readonly VersionedDefinition[], results: readonly IndicatorResult[]) {
      return noticeRecipients(
        definitions.filter((d) => scope.indicatorIds.includes(d.id)),
        inTopic(scope, results),
      );
    },

    /**
     * The topic report's input: each indicator's county and township figures for every period —
     * the latest from the round's stored run (with any level the joint meeting re-assessed), the
     * earlier ones computed from the same data with the same definitions.
     */
    async reportInput(q: Queryable, o: { scope: TopicScope; latest: readonly IndicatorResult[]; issuedOn: string; dataCutOff: string }): Promise<TopicReportInput> {
      const { scope } = o;
      const definitions = (await deps.indicators.latestDefinitions()).filter((d) => scope.indicatorIds.includes(d.id));
      const units = new Map((await q.query<{ id: string; name: string }[]>(`SELECT id, name FROM department ORDER BY sort_order`)).map((u) => [u.id, u.name]));
      const perPeriod: IndicatorResult[][] = [];
      for (const [i, p] of scope.periods.entries()) {
        perPeriod.push(i === scope.periods.length - 1 ? [...o.latest] : await deps.indicators.evaluate(definitions, periodRange(p)));
      }
      const figuresOf = (d: VersionedDefinition, region: string) =>
        scope.periods.map((p, i) => figureBuilder(units, p)(d, perPeriod[i]!, region));
      const recipients = this.recipients(scope, definitions, o.latest);
      const high = (l: string) => l === 'high' || l === 'critical';
      return {
        subject: scope.subject,
        issuedOn: o.issuedOn,
        organs: await loadOrgans(q),
        periods: scope.periods,
        townships: scope.townshipIds.map((t) => shortUnitName(units.get(t) ?? t)),
        indicators: definitions
          .filter((d) => figuresOf(d, COUNTY).every((f) => f !== null))
          .map((d) => ({
            county: figuresOf(d, COUNTY) as IndicatorFigure[],
            townships: scope.townshipIds.map((t) => ({ name: shortUnitName(units.get(t) ?? t), figures: figuresOf(d, t) })),
          })),
        analyses: inTopic(scope, o.latest)
          .filter((r) => r.region === COUNTY && high(r.level))
          .map((r) => ({ indicatorId: r.indicatorId, text: `${reasonOutsideCourt(r, definitions.find((d) => d.id === r.indicatorId)?.unit)}。` })),
        suggestions: recipients.map((r) => noticeSuggestion(r, units, definitions)),
        dataCutOff: o.dataCutOff,
        contact: issuerContact(deps.config, 'court'),
      };
    },
  };
}

export type TopicService = ReturnType<typeof createTopicService>;
