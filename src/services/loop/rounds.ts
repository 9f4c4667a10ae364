import type { DataSource } from 'typeorm';
import { appLink, type Config } from '../../config/schema.ts';
import { buildAssessmentReport } from '../../domain/documents/assessment-report.ts';
import { buildTopicReport } from '../../domain/documents/topic-report.ts';
import { inTopic, type TopicScope } from '../../domain/loop/topic-scope.ts';
import { reportSummary } from '../../domain/loop/review-subjects.ts';
import { toLocalDate, type WorkCalendar } from '../../domain/loop/working-days.ts';
import type { EngineGateway } from '../../engine/client.ts';
import { MESSAGE_NAMES } from '../../engine/contract.ts';
import { ConflictError, NotFoundError } from '../../shared/errors.ts';
import { loadFollowUp } from './follow-up.ts';
import { systemActor, type Actor } from '../actor.ts';
import { writeAudit, type Queryable } from '../audit.ts';
import type { TopicService } from './topics.ts';
import { runOnce } from '../effects.ts';
import type { IndicatorService } from '../indicators/engine.ts';
import { assessmentReportInput } from '../indicators/report-input.ts';
import { indicatorNames, unitNames } from '../display-names.ts';
import { issueDocument, issuerContact, loadOrgans } from '../official-documents.ts';

/**
 * 评估轮次 (第六条、第七条): the round's record from indicators to closing — computed once per
 * state of the data, reported in revisions, approved by the leader (which fixes who gets a
 * notice), closed when every notice is done. Each step is keyed, so redelivery changes nothing.
 */

export interface RoundStart {
  roundId: string;
  roundKind: 'half_year' | 'annual' | 'topic';
  year: number;
  periodStart: string;
  periodEnd: string;
}

type Round = { id: string; kind: 'half_year' | 'annual'; period_start: string; period_end: string; indicator_run_id: string | null; status: string; topic: TopicScope | null };

export function createRoundService(deps: { db: DataSource; engine: EngineGateway; config: Config; indicators: IndicatorService; workCalendar: WorkCalendar; topics: TopicService }) {
  const { db } = deps;

  const load = async (roundId: string) => {
    const [round] = await db.query<Round[]>(
      `SELECT id, kind, to_char(period_start, 'YYYY-MM-DD') AS period_start, to_char(period_end, 'YYYY-MM-DD') AS period_end, indicator_run_id, status, topic FROM assessment_round WHERE id = $1`,
      [roundId],
    );
    if (!round) throw new NotFoundError('评估轮次不存在');
    return round;
  };

  /** Who gets a 风险提示函: every unit the run finds at risk, or for a topic those among its indicators and townships. */
  const recipientsOf = async (round: Round, runId: string) => {
    const summary = await deps.indicators.summary(runId);
    if (!round.topic) return summary.recipients;
    return deps.topics.recipients(round.topic, await deps.indicators.latestDefinitions(), await deps.indicators.results(runId));
  };

  /** The 评估报告 of a scheduled round: every indicator, the annual evaluation or the half year's follow-up. */
  const assessmentReport = async (tx: Queryable, round: Round, runId: string, now: string) => {
    const summary = await deps.indicators.summary(runId);
    const definitions = (await deps.indicators.latestDefinitions()).filter((d) => summary.definitions.some((u) => u.id === d.id));
    const previousAnnual = round.kind === 'annual' ? await db.query<{ indicator_run_id: string | null }[]>(`SELECT indicator_run_id FROM assessment_round WHERE id = $1`, [`${Number(round.period_start.slice(0, 4)) - 1}-Y`]) : [];
    const previousRun = previousAnnual[0]?.indicator_run_id ?? null;
    const reportInput = await assessmentReportInput(tx, {
      runId,
      period: { kind: round.kind, year: Number(round.period_start.slice(0, 4)), start: round.period_start, end: round.period_end },
      definitions,
      results: await deps.indicators.results(runId),
      recipients: summary.recipients,
      previousAnnual: previousRun ? { results: await deps.indicators.results(previousRun) } : null,
      issuedOn: toLocalDate(now),
      organs: await loadOrgans(tx),
      contact: issuerContact(deps.config, 'court'),
      calendar: deps.workCalendar,
    });
    // A half-year report follows up what the last round warned about (第十六条).
    const followUp = round.kind === 'half_year' ? await loadFollowUp(tx, deps.indicators, { periodStart: round.period_start, now, ...reportInput }) : null;
    return buildAssessmentReport(followUp ? { ...reportInput, followUp } : reportInput);
  };

  return {
    /**
     * 人工启动 (PRODUCT.md §4.1): the round the calendar would start, by hand; the id says the
     * period (2025-H1 = January–June 2025, 2025-Y = the year 2025). A round that exists is not
     * started again; the start message carries the id, so a repeated click makes one instance.
     */
    async start(actor: Actor, input: { roundKind: 'half_year' | 'annual'; year: number; roundId?: string }): Promise<{ roundId: string }> {
      const roundId = input.roundId ?? `${input.year}-${input.roundKind === 'annual' ? 'Y' : 'H1'}`;
      const existing = await db.query<unknown[]>(`SELECT 1 FROM assessment_round WHERE id = $1`, [roundId]);
      if (existing.length > 0) throw new ConflictError(`评估轮次 ${roundId} 已启动`);
      const periodEnd = input.roundKind === 'annual' ? `${input.year}-12-31` : `${input.year}-06-30`;
      await deps.engine.publishMessage({
        name: MESSAGE_NAMES.startAssessmentRound,
        correlationKey: roundId,
        messageId: roundId,
        timeToLiveMs: 0,
        variables: { roundId, roundKind: input.roundKind, year: input.year, periodStart: `${input.year}-01-01`, periodEnd },
      });
      await writeAudit(db, actor, { action: 'assessment_round.start', entityType: 'assessment_round', entityId: roundId, after: input });
      return { roundId };
    },

    /** Registers the round (idempotent) and computes its indicators; a recompute after new data gives a new run. */
    async computeIndicators(start: RoundStart, processInstanceKey: string) {
      // A topic's row was written when it was composed; a scheduled round's is written here.
      await (start.roundKind === 'topic'
        ? db.query(`UPDATE assessment_round SET process_instance_key = coalesce(process_instance_key, $2) WHERE id = $1`, [start.roundId, processInstanceKey])
        : db.query(
            `INSERT INTO assessment_round (id, kind, period_start, period_end, process_instance_key) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
            [start.roundId, start.roundKind, start.periodStart, start.periodEnd, processInstanceKey],
          ));
      const run = await deps.indicators.computeRound(systemActor, start.roundId, { start: start.periodStart, end: start.periodEnd });
      await db.query(`UPDATE assessment_round SET indicator_run_id = $2 WHERE id = $1`, [start.roundId, run.runId]);
      return run;
    },

    /** A new revision of the 评估报告 (or of a topic's 专题分析报告) from the run, with the court's notes and the leader's comments recorded. */
    async draftReport(input: { roundId: string; indicatorRunId: string; revision: number; courtNotes?: string | null; leaderComments?: string | null; now: string }, jobKey: string) {
      const { result } = await runOnce(db, { jobType: 'draft-assessment-report', businessKey: `${input.roundId}:${input.revision}`, jobKey }, async (tx) => {
        const round = await load(input.roundId);
        const issuedOn = toLocalDate(input.now);
        const report = round.topic
          ? buildTopicReport(await deps.topics.reportInput(tx, { scope: round.topic, latest: await deps.indicators.results(input.indicatorRunId), issuedOn, dataCutOff: round.period_end }))
          : await assessmentReport(tx, round, input.indicatorRunId, input.now);
        const issued = await issueDocument(tx, systemActor, {
          year: Number(issuedOn.slice(0, 4)),
          businessKey: `assessment-report:${input.roundId}:${input.revision}`,
          mail: false,
          build: () => report,
        });
        await tx.query(`UPDATE assessment_round SET status = CASE WHEN status = 'started' THEN 'drafted' ELSE status END, report_document_id = $2 WHERE id = $1`, [
          input.roundId,
          issued.documentId,
        ]);
        await writeAudit(tx, systemActor, {
          action: 'assessment_round.draft_report',
          entityType: 'assessment_round',
          entityId: input.roundId,
          after: { revision: input.revision, documentId: issued.documentId, courtNotes: input.courtNotes ?? null, leaderComments: input.leaderComments ?? null },
        });
        return { reportId: `${input.roundId}:${input.revision}`, reportDocumentId: issued.documentId, reportRevision: input.revision };
      });
      // What the court's review and the leader's approval show (issue 21 point 1), from the same run.
      const round = await load(input.roundId);
      const results = await deps.indicators.results(input.indicatorRunId);
      const summary = reportSummary(
        {
          period: { kind: round.kind, year: Number(round.period_start.slice(0, 4)) },
          revision: input.revision,
          results: round.topic ? inTopic(round.topic, results) : results,
          recipients: await recipientsOf(round, input.indicatorRunId),
        },
        { units: await unitNames(db), indicators: await indicatorNames(db) },
      );
      return { ...result, reportSummary: summary, reportLink: appLink(deps.config, `/documents/${result.reportDocumentId}`) };
    },

    /** The leader approved (第七条): the notice list is fixed from the round's run. */
    async approve(roundId: string, leaderComments: string | null) {
      const round = await load(roundId);
      if (!round.indicator_run_id) throw new NotFoundError('评估轮次尚未计算指标');
      const recipients = await recipientsOf(round, round.indicator_run_id);
      await db.transaction(async (tx) => {
        // TypeORM answers an UPDATE with [rows, count]: the rows say whether this call approved it.
        const [changed] = (await tx.query(
          `UPDATE assessment_round SET status = 'approved', approved_at = now(), leader_comments = $2 WHERE id = $1 AND status IN ('started', 'drafted') RETURNING id`,
          [roundId, leaderComments],
        )) as [unknown[], number];
        if (changed.length) {
          await writeAudit(tx, systemActor, { action: 'assessment_round.approve', entityType: 'assessment_round', entityId: roundId, after: { recipients, leaderComments } });
        }
      });
      return recipients;
    },

    async close(roundId: string) {
      await db.query(`UPDATE assessment_round SET status = 'closed', closed_at = coalesce(closed_at, now()) WHERE id = $1`, [roundId]);
      const [row] = await db.query<{ closed_at: Date }[]>(`SELECT closed_at FROM assessment_round WHERE id = $1`, [roundId]);
      return row!.closed_at.toISOString();
    },

    /** After an annual round is approved, the evaluation of that year starts (第十六条); a running one ignores the repeat. */
    async startEvaluation(year: number) {
      await deps.engine.publishMessage({
        name: MESSAGE_NAMES.startEffectivenessEvaluation,
        correlationKey: String(year),
        messageId: `evaluation:${year}`,
        timeToLiveMs: 0,
        variables: { evaluationYear: year },
      });
    },
  };
}

export type RoundService = ReturnType<typeof createRoundService>;
