import type { DataSource } from 'typeorm';
import { appLink, type Config } from '../../config/schema.ts';
import { documentSeries } from '../../domain/documents/document-number.ts';
import { buildRiskNotice } from '../../domain/documents/risk-notice.ts';
import { topicReportTitle } from '../../domain/documents/titles.ts';
import { inTopic, type TopicScope } from '../../domain/loop/topic-scope.ts';
import type { IndicatorFigure } from '../../domain/documents/inputs.ts';
import { COUNTY } from '../../domain/indicators/evaluate.ts';
import { indicatorLabel } from '../../domain/indicators/labels.ts';
import { toLocalDate, workingDayDeadline, type WorkCalendar } from '../../domain/loop/working-days.ts';
import type { EngineGateway } from '../../engine/client.ts';
import { ERROR_CODES, MESSAGE_NAMES, type LoopSettings } from '../../engine/contract.ts';
import { BusinessRuleError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import { systemActor, type Actor } from '../actor.ts';
import { runOnce } from '../effects.ts';
import type { IndicatorService } from '../indicators/engine.ts';
import { figureBuilder } from '../indicators/report-input.ts';
import { allocateDocumentNumber } from '../document-numbers.ts';
import { issuerContact, layOutNumbered, loadOrgans, storeLaidOut } from '../official-documents.ts';
import { enqueueMail } from '../outbox.ts';
import { recordEscalation } from './escalations.ts';
import type { MeasureInput, NoticeService } from './notices.ts';
import type { SupervisionService } from './supervision.ts';
import { indicatorNames, shortUnitName, unitNames } from '../display-names.ts';
import { opinionFieldName } from '../../domain/loop/opinion-fields.ts';
import { opinionSummary } from '../../domain/loop/review-subjects.ts';
import { reasonOutsideCourt } from '../small-cells.ts';

/**
 * The `risk-notice` process's steps (第七条、第八条、第十一条): the numbered 风险提示函 with the
 * department's own figures, the department's 工作意见 with its measures, the office's review, and
 * one supervision item per accepted measure. Every step is keyed by its business (notice, job),
 * so a redelivered job changes nothing.
 */

/** The department a completed task speaks for: the engine's candidate group scoped who could complete it. */
const departmentActor = (departmentId: string): Actor => ({ id: null, username: `dept:${departmentId}`, displayName: departmentId, departmentId, roles: ['department'] });

/** One 文号 and one document per notice: the key both steps number under. */
const noticeDocumentKey = (noticeKey: string) => `risk-notice:${noticeKey}`;

const officeActor: Actor = { id: null, username: 'office:pab', displayName: '县平安办', departmentId: 'pab', roles: ['peace_office'] };

export function createNoticeFlow(deps: {
  db: DataSource;
  engine: EngineGateway;
  config: Config;
  indicators: IndicatorService;
  notices: NoticeService;
  supervision: SupervisionService;
  workCalendar: WorkCalendar;
}) {
  const { db } = deps;
  const calendar = deps.workCalendar;

  return {
    /**
     * The notice on record and its 文号, in one short transaction: the counter's lock is held for
     * milliseconds, so thirty departments' notices of one round are numbered one after the other
     * without waiting for each other's layout, and each department's task opens at once.
     */
    async issue(
      input: { now: string; roundId: string; departmentId: string; indicatorIds: string[]; noticeKey: string; opinionDueDate: string },
      processInstanceKey: string,
      jobKey: string,
    ) {
      const notice = await deps.notices.issue(systemActor, { roundId: input.roundId, departmentId: input.departmentId, indicatorIds: input.indicatorIds, dueDate: input.opinionDueDate, processInstanceKey });
      const issuedOn = toLocalDate(input.now);
      const { result } = await runOnce(db, { jobType: 'issue-risk-notice', businessKey: input.noticeKey, jobKey }, async (tx) => {
        const allocated = await allocateDocumentNumber(tx, documentSeries.riskNotice, Number(issuedOn.slice(0, 4)), noticeDocumentKey(input.noticeKey));
        await tx.query(`UPDATE risk_notice SET number = $2 WHERE id = $1`, [notice.id, allocated.number]);
        return { noticeNumber: allocated.number, noticeIssuedOn: issuedOn };
      });
      const names = new Map((await deps.indicators.latestDefinitions()).map((d) => [d.id, d.name]));
      return {
        noticeId: notice.id,
        ...result,
        noticeIndicatorOptions: input.indicatorIds.map((id) => ({ label: indicatorLabel(id, names), value: id })),
      };
    },

    /** The numbered 风险提示函 with the department's own figures: laid out, stored, linked to the notice and mailed. */
    async deliver(
      input: { settings: LoopSettings; roundId: string; departmentId: string; indicatorIds: string[]; noticeKey: string; noticeId: string; noticeIssuedOn: string; opinionDueDate: string },
      jobKey: string,
    ) {
      const [round] = await db.query<{ kind: 'half_year' | 'annual'; period_start: string; period_end: string; indicator_run_id: string | null; topic: TopicScope | null }[]>(
        `SELECT kind, to_char(period_start, 'YYYY-MM-DD') AS period_start, to_char(period_end, 'YYYY-MM-DD') AS period_end, indicator_run_id, topic FROM assessment_round WHERE id = $1`,
        [input.roundId],
      );
      if (!round?.indicator_run_id) throw new NotFoundError('评估轮次尚未计算指标');
      // A topic's notice quotes the townships it studied, and rests on its 专题分析报告.
      const stored = await deps.indicators.results(round.indicator_run_id);
      const results = round.topic ? inTopic(round.topic, stored) : stored;
      const definitions = await deps.indicators.latestDefinitions();
      const units = new Map((await db.query<{ id: string; name: string }[]>(`SELECT id, name FROM department`)).map((u) => [u.id, u.name]));
      const period = { kind: round.kind, year: Number(round.period_start.slice(0, 4)) };
      const figureOf = figureBuilder(units, period);
      const isTownship = input.departmentId.startsWith('town-');
      const high = (f: IndicatorFigure | null): f is IndicatorFigure => f !== null && (f.level === 'high' || f.level === 'critical');
      // What the notice quotes: a township its own values; an owner the county value when that is
      // high, else the townships where the indicator is high (it was notified for those).
      const quoted = input.indicatorIds.flatMap((id) => {
        const d = definitions.find((x) => x.id === id);
        if (!d) return [];
        if (isTownship) return [{ figure: figureOf(d, results, input.departmentId), region: input.departmentId, id }];
        const county = figureOf(d, results, COUNTY);
        if (high(county)) return [{ figure: county, region: COUNTY, id }];
        return results
          .filter((r) => r.indicatorId === id && r.region !== COUNTY && (r.level === 'high' || r.level === 'critical'))
          .map((r) => ({ figure: figureOf(d, results, r.region), region: r.region, id }));
      });
      const figures = quoted.map((q) => q.figure).filter(high);
      const reasons = quoted
        .map((q) => {
          const r = results.find((x) => x.indicatorId === q.id && x.region === q.region);
          // The notice leaves the court: its reason words carry no count under 5 (第二十条).
          const reason = r ? reasonOutsideCourt(r, definitions.find((d) => d.id === q.id)?.unit) : null;
          return reason ? `${q.region === COUNTY ? '' : `${shortUnitName(units.get(q.region) ?? q.region)}：`}${reason}` : null;
        })
        .filter((r): r is string => !!r);
      const organs = await loadOrgans(db);
      const notice = {
        series: 'riskNotice' as const,
        year: Number(input.noticeIssuedOn.slice(0, 4)),
        // The key issue-risk-notice numbered: the document gets that 文号, no new one.
        businessKey: noticeDocumentKey(input.noticeKey),
        mail: true,
        build: (number: string | undefined) =>
          buildRiskNotice({
            number: number!,
            issuedOn: input.noticeIssuedOn,
            organs,
            recipient: { id: input.departmentId, name: units.get(input.departmentId) ?? input.departmentId },
            period,
            indicators: figures,
            patterns: reasons.map((r) => `${r}。`),
            suggestions: [
              '对照提示的风险指标，组织开展专题分析研判，查明风险成因和主要分布。',
              '制定有针对性的防范化解措施，明确责任人、责任部门和完成时限。',
              '加强与县法院、县平安办的信息共享，重大情况及时报告。',
            ],
            feedback: { workingDays: input.settings.noticeFeedbackWorkingDays, dueDate: toLocalDate(input.opinionDueDate) },
            ...(round.topic ? { reportTitle: topicReportTitle(round.topic.subject) } : {}),
            contact: issuerContact(deps.config, 'court'),
            dataCutOff: round.period_end,
          }),
      };
      // Laid out before the transaction (see layOutNumbered); a redelivery after the commit lays it
      // out again and finds the effect done.
      const laidOut = await layOutNumbered(db, notice);
      const { result } = await runOnce(db, { jobType: 'deliver-risk-notice', businessKey: input.noticeKey, jobKey }, async (tx) => {
        const issued = await storeLaidOut(tx, systemActor, notice, laidOut);
        await tx.query(`UPDATE risk_notice SET document_id = $2 WHERE id = $1`, [input.noticeId, issued.documentId]);
        return { noticeDocumentId: issued.documentId };
      });
      // The unit's opinion form links the notice it answers, in Tasklist as in our inbox.
      return { ...result, noticeLink: appLink(deps.config, `/documents/${result.noticeDocumentId}`) };
    },

    /** The submitted 工作意见 (a new version each pass), late when after the deadline the process passes. */
    async recordOpinion(
      input: { now: string; settings: LoopSettings; noticeId: string; opinionDueDate: string; analysis: string; problems?: string | null; measures: MeasureInput[] },
      jobKey: string,
    ) {
      const notice = await deps.notices.load(input.noticeId);
      const { result } = await runOnce(db, { jobType: 'record-work-opinion', businessKey: `${input.noticeId}:${jobKey}`, jobKey }, async () => {
        const saved = await deps.notices
          .submitOpinion(
            departmentActor(notice.departmentId),
            input.noticeId,
            { analysis: input.analysis, problems: input.problems, measures: input.measures, dueDate: input.opinionDueDate },
            new Date(input.now),
          )
          .catch((error: unknown) => {
            // A rule only the process clock can check (a deadline already past): back to the unit's
            // task with what to correct, never an incident.
            if (!(error instanceof ValidationError)) throw error;
            const problems = error.problems.map((p) => `${opinionFieldName(p.field)}：${p.reason}`).join('；');
            throw new BusinessRuleError(ERROR_CODES.opinionInvalid, problems, { opinionProblems: problems });
          });
        return { opinionId: saved.opinionId, opinionVersion: saved.version, opinionLate: saved.late };
      });
      const review = workingDayDeadline(calendar, input.now, input.settings.officeReviewWorkingDays);
      // The opinion as the office's review form shows it (issue 21 point 1): unit, notice, analysis, measures by name.
      const [{ number } = { number: null }] = await db.query<{ number: string | null }[]>(`SELECT number FROM risk_notice WHERE id = $1`, [input.noticeId]);
      const summary = opinionSummary(
        { departmentId: notice.departmentId, noticeNumber: number, version: result.opinionVersion, late: result.opinionLate, analysis: input.analysis, problems: input.problems, measures: input.measures },
        { units: await unitNames(db), indicators: await indicatorNames(db) },
      );
      return { ...result, reviewDueDate: review.dueDate, opinionProblems: null, opinionSummary: summary };
    },

    /** The office's review; a return is counted against the department (第十八条) and mailed with the reason. */
    async recordReview(input: { now: string; noticeId: string; opinionId: string; reviewDecision: 'accept' | 'return'; reviewReason?: string | null }, jobKey: string) {
      await runOnce(db, { jobType: 'record-opinion-review', businessKey: input.opinionId, jobKey }, async (tx) => {
        await deps.notices.reviewOpinion(officeActor, input.noticeId, input.reviewDecision, input.reviewReason ?? null);
        if (input.reviewDecision === 'return') {
          await recordEscalation(tx, systemActor, { noticeId: input.noticeId }, 'returned', `returned:opinion:${input.opinionId}`, { reason: input.reviewReason }, input.now);
          const notice = await deps.notices.load(input.noticeId);
          const [unit] = await tx.query<{ name: string; email: string }[]>(`SELECT name, email FROM department WHERE id = $1`, [notice.departmentId]);
          await enqueueMail(tx, {
            dedupKey: `opinion-returned:${input.opinionId}`,
            to: [unit!.email],
            subject: '【工作意见退回修改】请按审核意见修改后重新报送',
            body: `${unit!.name}：\n你单位报送的工作意见经县平安办审核，退回修改。理由：${input.reviewReason ?? ''}\n请在规定期限内修改后重新报送。\n唐河县平安建设领导小组办公室`,
          });
        }
        return null;
      });
    },

    /** 一事一件: an item per accepted measure of the notice. */
    async registerMeasures(noticeId: string) {
      const items = await deps.supervision.registerFromAcceptedOpinion(systemActor, noticeId);
      return items.map((i) => ({ itemKey: i.businessKey, itemId: i.id }));
    },

    /** Starts one item's process; a running one ignores the repeat (correlation key = message id = item key, TTL 0). */
    async startItem(item: { itemKey: string; itemId: string }) {
      await deps.engine.publishMessage({
        name: MESSAGE_NAMES.startSupervisionItem,
        correlationKey: item.itemKey,
        messageId: item.itemKey,
        timeToLiveMs: 0,
        variables: { itemKey: item.itemKey, itemId: item.itemId },
      });
    },
  };
}

export type NoticeFlow = ReturnType<typeof createNoticeFlow>;

