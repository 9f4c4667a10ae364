import type { DataSource } from 'typeorm';
import { buildMeetingAgenda, buildMeetingMinutes } from '../../domain/documents/joint-meeting.ts';
import type { IndicatorFigure } from '../../domain/documents/inputs.ts';
import { COUNTY } from '../../domain/indicators/evaluate.ts';
import { compareIndicatorCodes, indicatorLabel } from '../../domain/indicators/labels.ts';
import { selectAgenda } from '../../domain/loop/agenda.ts';
import { atLocalTime, toLocalDate, type WorkCalendar } from '../../domain/loop/working-days.ts';
import { defaultLoopSettings } from '../../engine/contract.ts';
import { systemActor } from '../actor.ts';
import { writeAudit, type Queryable } from '../audit.ts';
import { runOnce } from '../effects.ts';
import { changeOutsideCourt } from '../small-cells.ts';
import type { IndicatorService } from '../indicators/engine.ts';
import { figureBuilder } from '../indicators/report-input.ts';
import { issueDocument, loadOrgans } from '../official-documents.ts';
import { itemSnapshots } from './item-snapshots.ts';
import type { SupervisionService } from './supervision.ts';
import { link } from './trace.ts';

/** Units at every joint meeting: the convener (县委政法委), the court and the Peace-Building Office. */
const STANDING_MEMBERS = ['zfw', 'court', 'pab'];

/**
 * 联席会议 (第九条、第十条): the agenda selected from the latest round's high-risk indicators, the
 * late or returned opinions and the overdue items; the minutes with re-assessed levels and
 * decisions; one supervision item per decision (一事一件), traced meeting → decision → item.
 */

export interface DecisionInput {
  decisionTitle: string;
  decisionContent: string;
  prejudgedImpact: string;
  leadDepartmentId: string;
  coDepartmentIds: string[];
  decisionDeadline: string;
  major: boolean;
  indicatorIds: string[];
}

export interface MinutesInput {
  now: string;
  meetingId: string;
  convenedOn: string;
  meetingPlace?: string | null;
  attendees: string;
  situationSummary?: string | null;
  riskReassessments: { indicatorId: string; regionId?: string | null; reassessedLevel: 'low' | 'medium' | 'high' | 'critical'; reassessmentAnalysis: string }[];
  decisions: DecisionInput[];
  minutesSummary?: string | null;
}

const session = (meetingId: string) => {
  const m = /^(\d{4})-H([12])$/.exec(meetingId);
  return m ? `${m[1]}年${m[2] === '1' ? '上半年' : '下半年'}` : meetingId;
};

export function createMeetingFlow(deps: { db: DataSource; indicators: IndicatorService; supervision: SupervisionService; workCalendar: WorkCalendar }) {
  const { db } = deps;
  const calendar = deps.workCalendar;

  async function latestRun(q: Queryable): Promise<{ roundId: string; runId: string; kind: 'half_year' | 'annual'; year: number } | null> {
    const [row] = await q.query<{ id: string; indicator_run_id: string; kind: 'half_year' | 'annual'; period_start: string }[]>(
      `SELECT id, indicator_run_id, kind, to_char(period_start, 'YYYY-MM-DD') AS period_start FROM assessment_round
       WHERE indicator_run_id IS NOT NULL AND topic IS NULL AND status IN ('approved', 'notices_sent', 'closed') ORDER BY period_end DESC, approved_at DESC NULLS LAST LIMIT 1`,
    );
    return row ? { roundId: row.id, runId: row.indicator_run_id, kind: row.kind, year: Number(row.period_start.slice(0, 4)) } : null;
  }

  return {
    async agenda(input: { now: string; meetingId: string }, jobKey: string) {
      await db.query(`INSERT INTO joint_meeting (id) VALUES ($1) ON CONFLICT (id) DO NOTHING`, [input.meetingId]);
      const { result } = await runOnce(db, { jobType: 'generate-meeting-agenda', businessKey: input.meetingId, jobKey }, async (tx) => {
        const units = new Map((await tx.query<{ id: string; name: string }[]>(`SELECT id, name FROM department ORDER BY sort_order`)).map((u) => [u.id, u.name]));
        const run = await latestRun(tx);
        const definitions = await deps.indicators.latestDefinitions();
        const results = run ? await deps.indicators.results(run.runId) : [];
        const notices = run
          ? await tx.query<{ id: string; number: string | null; department_id: string; due_date: Date | null; first: Date | null; returned: number; status: string }[]>(
              `SELECT n.id, n.number, n.department_id, n.due_date, n.status,
                      (SELECT min(submitted_at) FROM work_opinion o WHERE o.notice_id = n.id) AS first,
                      (SELECT count(*)::int FROM work_opinion o WHERE o.notice_id = n.id AND o.review_decision = 'return') AS returned
               FROM risk_notice n WHERE n.round_id = $1 ORDER BY n.department_id`,
              [run.roundId],
            )
          : [];
        const items = (await itemSnapshots(tx)).filter((i) => !i.closedAt);
        const agenda = selectAgenda(
          {
            now: input.now,
            indicators: results.map((r) => {
              const d = definitions.find((x) => x.id === r.indicatorId);
              return {
                indicatorId: r.indicatorId,
                indicatorName: d?.name ?? r.indicatorId,
                regionId: r.region,
                regionName: r.region === COUNTY ? '全县' : (units.get(r.region) ?? r.region),
                level: r.level,
                // The agenda leaves the court: no change over fewer than 5 cases (第二十条).
                yoyChange: changeOutsideCourt(r, d?.unit),
                ownerDepartmentIds: d ? [...d.owners, ...d.coOwners] : [],
              };
            }),
            notices: notices.map((n) => ({
              noticeId: n.id,
              noticeNumber: n.number ?? n.id,
              departmentId: n.department_id,
              dueDate: (n.due_date ?? new Date(input.now)).toISOString(),
              firstSubmittedAt: n.first?.toISOString() ?? null,
              returnedCount: n.returned,
            })),
            items: items.map((i) => ({ ...i, itemNumber: i.itemNumber })),
          },
          { reminderLeadWorkingDays: defaultLoopSettings.reminderLeadWorkingDays },
          calendar,
        );
        const figureOf = figureBuilder(units, run ?? { kind: 'half_year', year: Number(toLocalDate(input.now).slice(0, 4)) });
        const highRisk = definitions
          .map((d) => figureOf(d, results, COUNTY))
          .filter((f): f is IndicatorFigure => f !== null && (f.level === 'high' || f.level === 'critical'));
        // 第九条: the convener's 政法委, the court that reports the data and the office that supervises
        // sit at every meeting; the units on the agenda join them (a quiet half-year still meets).
        const attendees = [...new Set([...STANDING_MEMBERS, ...agenda.sections.flatMap((s) => s.entries.flatMap((e) => e.departmentIds))])].filter((id) => units.has(id));
        const today = toLocalDate(input.now);
        const organs = await loadOrgans(tx);
        const issued = await issueDocument(tx, systemActor, {
          year: Number(today.slice(0, 4)),
          businessKey: `meeting-agenda:${input.meetingId}`,
          mail: true,
          build: () =>
            buildMeetingAgenda({
              issuedOn: today,
              organs,
              session: session(input.meetingId),
              at: `${today}T09:00`,
              place: '县委政法委会议室',
              convener: { title: '县委政法委书记' },
              attendees: attendees.map((id) => ({ id, name: units.get(id)! })),
              highRisk,
              opinions: notices.map((n) => ({
                unit: units.get(n.department_id) ?? n.department_id,
                summary: n.number ? `风险提示函 ${n.number}` : '风险提示函',
                status: n.status === 'accepted' || n.status === 'closed' ? 'accepted' : n.status === 'returned' ? 'returned' : n.first ? 'pending' : 'missing',
              })),
              topics: agenda.sections.find((s) => s.section === 'overdue_items')?.entries.map((e) => `${e.title}：${e.reason}`) ?? [],
            }),
        });
        await tx.query(`UPDATE joint_meeting SET agenda = $2, agenda_document_id = $3 WHERE id = $1`, [input.meetingId, JSON.stringify(agenda), issued.documentId]);
        const names = new Map(definitions.map((d) => [d.id, d.name]));
        return {
          agendaDocumentId: issued.documentId,
          agendaItemCount: agenda.total,
          agendaIndicatorOptions: [...new Set(results.filter((r) => r.level === 'high' || r.level === 'critical').map((r) => r.indicatorId))]
            .sort(compareIndicatorCodes)
            .map((id) => ({ label: indicatorLabel(id, names), value: id })),
        };
      });
      return result;
    },

    /** The minutes (第十条): re-assessed levels, decisions with prejudged impact, lead and co-units. */
    async minutes(input: MinutesInput, jobKey: string) {
      const { result } = await runOnce(db, { jobType: 'record-meeting-minutes', businessKey: input.meetingId, jobKey }, async (tx) => {
        const units = new Map((await tx.query<{ id: string; name: string }[]>(`SELECT id, name FROM department`)).map((u) => [u.id, u.name]));
        const run = await latestRun(tx);
        const results = run ? await deps.indicators.results(run.runId) : [];
        const definitions = await deps.indicators.latestDefinitions();
        const today = toLocalDate(input.now);
        const organs = await loadOrgans(tx);
        const attendeeIds = [...new Set(input.decisions.flatMap((d) => [d.leadDepartmentId, ...d.coDepartmentIds]))];
        const issued = await issueDocument(tx, systemActor, {
          series: 'meetingMinutes',
          year: Number(today.slice(0, 4)),
          businessKey: `meeting-minutes:${input.meetingId}`,
          mail: true,
          build: (number) =>
            buildMeetingMinutes({
              number: number!,
              issuedOn: today,
              organs,
              session: session(input.meetingId),
              at: `${input.convenedOn}T09:00`,
              place: input.meetingPlace ?? '县委政法委会议室',
              chair: { title: '县委政法委书记' },
              attendees: attendeeIds.map((id) => ({ id, name: units.get(id) ?? id })),
              summary: [input.situationSummary, input.minutesSummary].filter(Boolean).join('') || `会议听取了各责任单位工作情况汇报（出席：${input.attendees}）。`,
              reassessments: input.riskReassessments.map((r) => ({
                id: r.indicatorId,
                name: definitions.find((d) => d.id === r.indicatorId)?.name ?? r.indicatorId,
                before: results.find((x) => x.indicatorId === r.indicatorId && x.region === (r.regionId ?? COUNTY))?.level ?? 'high',
                after: r.reassessedLevel,
                reason: r.reassessmentAnalysis,
              })),
              decisions: input.decisions.map((d) => ({
                content: `${d.decisionTitle}：${d.decisionContent}`,
                lead: { id: d.leadDepartmentId, name: units.get(d.leadDepartmentId) ?? d.leadDepartmentId },
                coUnits: d.coDepartmentIds.map((id) => ({ id, name: units.get(id) ?? id })),
                deadline: d.decisionDeadline,
                impact: d.prejudgedImpact,
              })),
              requirements: ['各责任单位按照会议决定抓好落实，按期报送办理结果。'],
            }),
        });
        await tx.query(`UPDATE joint_meeting SET minutes = $2, minutes_document_id = $3, number = $4, convened_on = $5, status = 'held' WHERE id = $1`, [
          input.meetingId,
          JSON.stringify(input),
          issued.documentId,
          issued.number,
          input.convenedOn,
        ]);
        if (run && input.riskReassessments.length > 0) {
          // 第十条(二): the meeting's level overrides the computed one for the round it discussed (a later meeting's again).
          await tx.query(
            `INSERT INTO level_reassessment (run_id, indicator_id, region, computed_level, reassessed_level, meeting_id, analysis)
             SELECT v.run_id, v.indicator_id, v.region, v.level, r.level, $2, r.analysis
               FROM jsonb_to_recordset($3::jsonb) AS r(indicator_id text, region text, level text, analysis text)
               JOIN indicator_value v ON v.run_id = $1 AND v.indicator_id = r.indicator_id AND v.region = r.region
             ON CONFLICT (run_id, indicator_id, region)
               DO UPDATE SET reassessed_level = EXCLUDED.reassessed_level, meeting_id = EXCLUDED.meeting_id, analysis = EXCLUDED.analysis, recorded_at = now()`,
            [
              run.runId,
              input.meetingId,
              JSON.stringify(input.riskReassessments.map((r) => ({ indicator_id: r.indicatorId, region: r.regionId ?? COUNTY, level: r.reassessedLevel, analysis: r.reassessmentAnalysis }))),
            ],
          );
          for (const indicatorId of new Set(input.riskReassessments.map((r) => r.indicatorId))) {
            await link(tx, { kind: 'indicator', id: `${run.roundId}:${indicatorId}` }, { kind: 'meeting', id: input.meetingId });
          }
        }
        await writeAudit(tx, systemActor, { action: 'joint_meeting.minutes', entityType: 'joint_meeting', entityId: input.meetingId, after: { decisions: input.decisions.length, reassessments: input.riskReassessments } });
        return { minutesDocumentId: issued.documentId, decisionCount: input.decisions.length };
      });
      return result;
    },

    /** 一事一件: one supervision item per decision of the minutes, keyed decision:<meeting>:<n>. */
    async registerDecisions(meetingId: string): Promise<{ itemKey: string; itemId: string }[]> {
      const [meeting] = await db.query<{ minutes: MinutesInput | null }[]>(`SELECT minutes FROM joint_meeting WHERE id = $1`, [meetingId]);
      const refs: { itemKey: string; itemId: string }[] = [];
      for (const [n, d] of (meeting?.minutes?.decisions ?? []).entries()) {
        // The item and its trace links commit together: nobody sees an item its meeting does not lead to.
        const item = await db.transaction(async (tx) => {
          const registered = await deps.supervision.registerIn(tx, systemActor, {
            businessKey: `decision:${meetingId}:${n + 1}`,
            title: d.decisionTitle,
            sourceKind: 'meeting',
            sourceId: meetingId,
            leadDepartmentId: d.leadDepartmentId,
            coDepartmentIds: d.coDepartmentIds.filter((id) => id !== d.leadDepartmentId),
            requirements: d.decisionContent,
            deadline: new Date(atLocalTime(d.decisionDeadline, '17:30')).toISOString(),
            major: d.major,
          });
          await link(tx, { kind: 'meeting', id: meetingId }, { kind: 'decision', id: `${meetingId}:${n + 1}` });
          await link(tx, { kind: 'decision', id: `${meetingId}:${n + 1}` }, { kind: 'item', id: registered.id });
          return registered;
        });
        refs.push({ itemKey: item.businessKey, itemId: item.id });
      }
      return refs;
    },
  };
}

export type MeetingFlow = ReturnType<typeof createMeetingFlow>;
