import type { DataSource } from 'typeorm';
import type { Config } from '../../config/schema.ts';
import type { IndicatorOutcome } from '../../domain/documents/inputs.ts';
import type { DecisionReview } from '../../domain/documents/decision-review.ts';
import { numericDate } from '../../domain/documents/format.ts';
import { buildPublicReport } from '../../domain/documents/public-report.ts';
import { formEntries } from '../../domain/documents/form-text.ts';
import { renderPlainText } from '../../domain/documents/plain-text.ts';
import { buildSeminarInvitation } from '../../domain/documents/seminar-invitation.ts';
import type { LoopSettings } from '../../engine/contract.ts';
import { buildScoreSheet, type ScoreCategory } from '../../domain/documents/score-sheet.ts';
import { COUNTY } from '../../domain/indicators/evaluate.ts';
import { classifyOutcomes, countOutcomes, linkOutcomes, type LinkedOutcome, type OutcomeInput } from '../../domain/loop/outcomes.ts';
import { scoringRulesFrom } from './settings.ts';
import { findingsFromFacts, scoreUnits, scoringCategoryLabels, type ScoringCategory, type YearFacts } from '../../domain/loop/scoring.ts';
import { addWorkingDays, atLocalTime, toLocalDate, type WorkCalendar } from '../../domain/loop/working-days.ts';
import { systemActor } from '../actor.ts';
import { writeAudit, type Queryable } from '../audit.ts';
import { shortUnitName } from '../display-names.ts';
import { runOnce } from '../effects.ts';
import type { IndicatorService } from '../indicators/engine.ts';
import { figureBuilder } from '../indicators/report-input.ts';
import { loadDocumentFile } from '../document-store.ts';
import { issueDocument, issuerContact, loadOrgans } from '../official-documents.ts';
import { enqueueMail } from '../outbox.ts';
import { link } from './trace.ts';

/**
 * 成效评价 (第十六条–第十九条): every indicator × region that was high or critical in last year's
 * annual round, classified against this year's value and the county-wide trend, linked to the
 * measures and items that targeted it; each unit's deductions with their evidence (lead unit full,
 * co-units half); the annual score sheet and the public report; the seminar.
 */

const OUTCOME_RULES = { changeThreshold: 0.1 };

export function createEvaluationFlow(deps: { db: DataSource; config: Config; indicators: IndicatorService; workCalendar: WorkCalendar }) {
  const { db } = deps;
  const rules = scoringRulesFrom(deps.config);

  async function annualRun(q: Queryable, year: number): Promise<string | null> {
    const [row] = await q.query<{ indicator_run_id: string | null }[]>(`SELECT indicator_run_id FROM assessment_round WHERE id = $1`, [`${year}-Y`]);
    return row?.indicator_run_id ?? null;
  }

  async function outcomesOf(q: Queryable, year: number): Promise<LinkedOutcome[]> {
    const [before, after] = [await annualRun(q, year - 1), await annualRun(q, year)];
    if (!before || !after) return [];
    const [previous, current, definitions] = [await deps.indicators.results(before), await deps.indicators.results(after), await deps.indicators.latestDefinitions()];
    const inputs: OutcomeInput[] = previous.flatMap((p) => {
      const c = current.find((x) => x.indicatorId === p.indicatorId && x.region === p.region);
      const d = definitions.find((x) => x.id === p.indicatorId);
      if (!c || !d || p.value === null || c.value === null) return [];
      const countyBefore = previous.find((x) => x.indicatorId === p.indicatorId && x.region === COUNTY);
      const countyNow = current.find((x) => x.indicatorId === p.indicatorId && x.region === COUNTY);
      return [
        {
          indicatorId: p.indicatorId,
          regionId: p.region,
          higherIsRiskier: !(d.bands.kind === 'absolute' && d.bands.direction === 'lower'),
          previous: { value: p.value, level: p.level },
          current: { value: c.value, level: c.level },
          countyTrend: countyBefore?.value != null && countyNow?.value != null ? { previous: countyBefore.value, current: countyNow.value } : null,
        },
      ];
    });
    const measures = await q.query<{ id: string; indicator_ids: string[]; townships: string[]; items: string[] }[]>(
      `SELECT m.id, m.indicator_ids, m.townships, coalesce(array_agg(i.id::text) FILTER (WHERE i.id IS NOT NULL), '{}') AS items
       FROM measure m JOIN work_opinion o ON o.id = m.opinion_id JOIN risk_notice n ON n.id = o.notice_id LEFT JOIN supervision_item i ON i.measure_id = m.id
       WHERE n.round_id IN ($1, $2) GROUP BY m.id`,
      [`${year - 1}-Y`, `${year}-H1`],
    );
    return linkOutcomes(
      classifyOutcomes(inputs, OUTCOME_RULES),
      measures.map((m) => ({ measureId: m.id, itemIds: m.items, indicatorIds: m.indicator_ids, townships: m.townships })),
    );
  }

  async function yearFacts(q: Queryable, year: number, cutoff: string, outcomes: readonly LinkedOutcome[]): Promise<YearFacts> {
    const items = await q.query<
      { id: string; lead_department_id: string; co_department_ids: string[]; deadline: Date; submitted_at: Date | null; closed_at: Date | null; interviews: string[]; listing_id: string | null; listing_due: Date | null; delisted_at: Date | null }[]
    >(
      `SELECT i.id, i.lead_department_id, i.co_department_ids, i.deadline, i.submitted_at, i.closed_at,
              coalesce((SELECT array_agg(v.id::text) FROM interview v WHERE v.item_id = i.id), '{}') AS interviews,
              l.id AS listing_id, l.deadline AS listing_due, l.delisted_at
       FROM supervision_item i LEFT JOIN listing l ON l.item_id = i.id
       WHERE extract(year FROM i.deadline AT TIME ZONE 'Asia/Shanghai') = $1`,
      [year],
    );
    const events = await q.query<{ id: string; item_id: string | null; notice_id: string | null; kind: YearFacts['items'][number]['events'][number]['kind']; at: Date }[]>(
      `SELECT id, item_id, notice_id, kind, at FROM escalation_event`,
    );
    const notices = await q.query<{ id: string; department_id: string; due_date: Date | null; first_id: string | null; first_at: Date | null }[]>(
      `SELECT n.id, n.department_id, n.due_date,
              (SELECT o.id FROM work_opinion o WHERE o.notice_id = n.id ORDER BY version LIMIT 1) AS first_id,
              (SELECT min(o.submitted_at) FROM work_opinion o WHERE o.notice_id = n.id) AS first_at
       FROM risk_notice n JOIN assessment_round r ON r.id = n.round_id
       WHERE extract(year FROM r.approved_at AT TIME ZONE 'Asia/Shanghai') = $1 OR r.id IN ($2, $3)`,
      [year, `${year - 1}-Y`, `${year}-H1`],
    );
    // A unit's own 约谈 (a leader's order without an item) counts in the year it was held (第十九条).
    const unitInterviews = await q.query<{ id: string; department_id: string; held_at: Date }[]>(
      `SELECT id, department_id, held_at FROM interview WHERE item_id IS NULL AND held_at IS NOT NULL AND extract(year FROM held_at AT TIME ZONE 'Asia/Shanghai') = $1`,
      [year],
    );
    const definitions = await deps.indicators.latestDefinitions();
    const valueIds = new Map<string, string>();
    const after = await annualRun(q, year);
    if (after) for (const r of await deps.indicators.results(after)) valueIds.set(`${r.indicatorId}:${r.region}`, r.valueId);
    return {
      cutoff,
      items: items.map((i) => ({
        itemId: i.id,
        leadDepartmentId: i.lead_department_id,
        coDepartmentIds: i.co_department_ids,
        deadline: i.deadline.toISOString(),
        resultSubmittedAt: (i.submitted_at ?? i.closed_at)?.toISOString() ?? null,
        events: events.filter((e) => e.item_id === i.id).map((e) => ({ id: e.id, kind: e.kind, at: e.at.toISOString() })),
        interviewIds: i.interviews,
        listing: i.listing_id ? { listingId: i.listing_id, dueDate: i.listing_due!.toISOString(), delistedAt: i.delisted_at?.toISOString() ?? null } : null,
      })),
      unitInterviews: unitInterviews.map((v) => ({ interviewId: v.id, departmentId: v.department_id, heldAt: v.held_at.toISOString() })),
      opinions: notices
        .filter((n) => n.due_date)
        .map((n) => ({
          noticeId: n.id,
          departmentId: n.department_id,
          dueDate: n.due_date!.toISOString(),
          firstOpinionId: n.first_id,
          submittedAt: n.first_at?.toISOString() ?? null,
          returnedEventIds: events.filter((e) => e.notice_id === n.id && e.kind === 'returned').map((e) => e.id),
        })),
      indicators: outcomes.map((o) => {
        const d = definitions.find((x) => x.id === o.indicatorId);
        const owners = o.regionId === COUNTY || !d?.routeToTownships ? (d ? [{ departmentId: d.owners[0]!, role: 'lead' as const }, ...d.coOwners.map((c) => ({ departmentId: c, role: 'co' as const }))] : []) : [{ departmentId: o.regionId, role: 'lead' as const }];
        return {
          outcomeId: `${year}:${o.indicatorId}:${o.regionId}`,
          indicatorId: o.indicatorId,
          owners: owners.filter((x) => x.departmentId !== 'court'),
          stillHigh: o.outcome === 'worse' || o.outcome === 'unchanged',
          creditedLevels: o.creditedLevels,
          indicatorValueIds: [valueIds.get(`${o.indicatorId}:${o.regionId}`)].filter((x): x is string => !!x),
        };
      }),
    };
  }

  /** The year's joint-meeting decisions with their prejudged impact and their items' state (第十条(四)). */
  async function decisionReviews(q: Queryable, year: number, now: string): Promise<DecisionReview[]> {
    const meetings = await q.query<{ id: string; number: string | null; convened_on: string; minutes: { decisions?: { decisionTitle: string; prejudgedImpact: string; indicatorIds?: string[] }[] } }[]>(
      `SELECT id, number, to_char(convened_on, 'YYYY-MM-DD') AS convened_on, minutes FROM joint_meeting
        WHERE minutes IS NOT NULL AND convened_on BETWEEN make_date($1, 1, 1) AND make_date($1, 12, 31) ORDER BY convened_on, id`,
      [year],
    );
    const decisions = meetings.flatMap((m) => (m.minutes.decisions ?? []).map((d, n) => ({ meeting: m, decision: d, itemKey: `decision:${m.id}:${n + 1}` })));
    const items = new Map(
      (
        await q.query<{ business_key: string; status: string; result_on_time: boolean | null; deadline: Date }[]>(
          `SELECT business_key, status, result_on_time, deadline FROM supervision_item WHERE business_key = ANY($1)`,
          [decisions.map((d) => d.itemKey)],
        )
      ).map((i) => [i.business_key, i]),
    );
    return decisions.map(({ meeting, decision, itemKey }) => {
      const item = items.get(itemKey);
      return {
        meeting: `${numericDate(meeting.convened_on)}联席会议${meeting.number ? `（${meeting.number}）` : ''}`,
        title: decision.decisionTitle,
        prejudgedImpact: decision.prejudgedImpact,
        indicatorIds: decision.indicatorIds ?? [],
        item: item ? { closed: item.status === 'closed', onTime: item.result_on_time, overdue: item.status !== 'closed' && item.deadline.toISOString() < now } : null,
      };
    });
  }

  const categories: ScoreCategory[] = (Object.keys(scoringCategoryLabels) as ScoringCategory[]).map((key) => {
    const rule = rules.categories[key];
    return { key, label: scoringCategoryLabels[key], rule: `每项${rule.kind === 'bonus' ? '加' : '扣'}${rule.points}分，最多${rule.cap}分`, bonus: rule.kind === 'bonus' };
  });

  /**
   * What a deduction line is about, as the score sheet prints it (依据: 督办编号、文号): the item's
   * 督办编号, the notice's 文号, the 约谈记录's number, or the indicator (and township) of an outcome.
   */
  async function subjectLabels(q: Queryable, subjects: readonly { kind: string; id: string }[], units: ReadonlyMap<string, string>): Promise<Map<string, string>> {
    const ids = (kind: string) => [...new Set(subjects.filter((s) => s.kind === kind).map((s) => s.id))];
    const numbered = async (kind: string, table: string, fallback: string) =>
      (await q.query<{ id: string; label: string }[]>(`SELECT id::text, coalesce(number, ${fallback}) AS label FROM ${table} WHERE id = ANY($1::uuid[])`, [ids(kind)])).map((r) => [`${kind}:${r.id}`, r.label] as const);
    const labels = new Map([
      ...(await numbered('supervision_item', 'supervision_item', 'title')),
      ...(await numbered('risk_notice', 'risk_notice', `'风险提示函'`)),
      ...(await numbered('interview', 'interview', `'约谈记录'`)),
    ]);
    // An outcome's id is <year>:<indicator>:<region>.
    for (const id of ids('outcome')) {
      const [, indicatorId, region] = id.split(':');
      labels.set(`outcome:${id}`, region === COUNTY ? indicatorId! : `${indicatorId}（${shortUnitName(units.get(region!) ?? region!)}）`);
    }
    return labels;
  }

  async function scoreSheet(q: Queryable, year: number, now: string, number?: string) {
    const units = new Map((await q.query<{ id: string; name: string }[]>(`SELECT id, name FROM department`)).map((u) => [u.id, u.name]));
    const rows = await q.query<{ department_id: string; category: string; points: string; evidence: { kind: string; id: string }[] }[]>(
      `SELECT department_id, category, points, evidence FROM deduction WHERE year = $1 ORDER BY department_id, category`,
      [year],
    );
    // Each line's first piece of evidence is what it is about (findingsFromFacts' subject).
    const labels = await subjectLabels(q, rows.map((r) => r.evidence[0]!).filter(Boolean), units);
    const byUnit = new Map<string, { category: string; count: number; points: number; evidence: string[] }[]>();
    for (const r of rows) {
      const entries = byUnit.get(r.department_id) ?? [];
      const entry = entries.find((e) => e.category === r.category) ?? { category: r.category, count: 0, points: 0, evidence: [] };
      if (!entries.includes(entry)) entries.push(entry);
      entry.count += 1;
      entry.points = Math.round((entry.points + Math.abs(Number(r.points))) * 100) / 100;
      const subject = r.evidence[0];
      const label = subject ? labels.get(`${subject.kind}:${subject.id}`) : undefined;
      if (label && !entry.evidence.includes(label)) entry.evidence.push(label);
      byUnit.set(r.department_id, entries);
    }
    return buildScoreSheet({
      number,
      issuedOn: toLocalDate(now),
      organs: await loadOrgans(q),
      year,
      basePoints: rules.baseScore,
      categories,
      units: [...byUnit.entries()].map(([id, entries]) => ({ unit: { id, name: units.get(id) ?? id }, entries })),
    });
  }

  return {
    async classify(input: { now: string; evaluationYear: number }, jobKey: string) {
      const { result } = await runOnce(db, { jobType: 'classify-indicator-outcomes', businessKey: String(input.evaluationYear), jobKey }, async (tx) => {
        const outcomes = await outcomesOf(tx, input.evaluationYear);
        await tx.query(`INSERT INTO effectiveness_evaluation (year, outcomes) VALUES ($1, $2) ON CONFLICT (year) DO UPDATE SET outcomes = EXCLUDED.outcomes`, [
          input.evaluationYear,
          JSON.stringify(outcomes),
        ]);
        for (const o of outcomes) {
          const node = { kind: 'outcome' as const, id: `${input.evaluationYear}:${o.indicatorId}:${o.regionId}` };
          for (const itemId of o.itemIds) await link(tx, { kind: 'item', id: itemId }, node);
          for (const measureId of o.measureIds) if (o.itemIds.length === 0) await link(tx, { kind: 'measure', id: measureId }, node);
        }
        const counts = countOutcomes(outcomes);
        return { outcomeCount: outcomes.length, resolvedCount: counts.resolved, improvedCount: counts.improved, unchangedCount: counts.unchanged, worseCount: counts.worse };
      });
      return result;
    },

    /** Deductions recomputed on every pass (the office may correct the records first); each line cites its evidence. */
    async deductions(input: { now: string; evaluationYear: number; scoreCorrections?: string | null }, jobKey: string) {
      const { result } = await runOnce(db, { jobType: 'compute-unit-deductions', businessKey: `${input.evaluationYear}:${jobKey}`, jobKey }, async (tx) => {
        const [evaluation] = await tx.query<{ outcomes: LinkedOutcome[] | null }[]>(`SELECT outcomes FROM effectiveness_evaluation WHERE year = $1`, [input.evaluationYear]);
        const facts = await yearFacts(tx, input.evaluationYear, input.now, evaluation?.outcomes ?? []);
        const scores = scoreUnits(findingsFromFacts(facts), rules);
        await tx.query(`DELETE FROM deduction WHERE year = $1`, [input.evaluationYear]);
        for (const unit of scores) {
          for (const line of unit.lines) {
            await tx.query(`INSERT INTO deduction (year, department_id, category, points, evidence) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
              input.evaluationYear,
              unit.departmentId,
              line.category,
              line.points,
              JSON.stringify([line.subject, ...line.evidence]),
            ]);
          }
        }
        const draft = await scoreSheet(tx, input.evaluationYear, input.now);
        const issued = await issueDocument(tx, systemActor, {
          year: Number(toLocalDate(input.now).slice(0, 4)),
          businessKey: `score-sheet-draft:${input.evaluationYear}:${jobKey}`,
          mail: false,
          build: () => draft,
        });
        await writeAudit(tx, systemActor, {
          action: 'evaluation.deductions',
          entityType: 'effectiveness_evaluation',
          entityId: String(input.evaluationYear),
          after: { units: scores.map((s) => ({ departmentId: s.departmentId, score: s.score })), corrections: input.scoreCorrections ?? null },
        });
        return { deductionCount: scores.reduce((s, u) => s + u.lines.length, 0), unitCount: scores.length, scoreSheetDraftDocumentId: issued.documentId };
      });
      return result;
    },

    /** 平安建设考核通报 (第十八条) and the public annual report (第十七条). */
    async publish(input: { now: string; evaluationYear: number }, jobKey: string) {
      const { result } = await runOnce(db, { jobType: 'publish-evaluation-results', businessKey: String(input.evaluationYear), jobKey }, async (tx) => {
        const today = toLocalDate(input.now);
        const year = Number(today.slice(0, 4));
        const sheetDoc = await scoreSheet(tx, input.evaluationYear, input.now);
        const sheet = await issueDocument(tx, systemActor, {
          series: 'scoreSheet',
          year,
          businessKey: `score-sheet:${input.evaluationYear}`,
          mail: true,
          build: (number) => ({ ...sheetDoc, number: number ?? sheetDoc.number }),
        });
        const units = new Map((await tx.query<{ id: string; name: string }[]>(`SELECT id, name FROM department`)).map((u) => [u.id, u.name]));
        const organs = await loadOrgans(tx);
        const run = await annualRun(tx, input.evaluationYear);
        const results = run ? await deps.indicators.results(run) : [];
        const definitions = await deps.indicators.latestDefinitions();
        const figureOf = figureBuilder(units, { kind: 'annual', year: input.evaluationYear });
        const figures = definitions.map((d) => figureOf(d, results)).filter((f): f is NonNullable<typeof f> => f !== null);
        const [evaluation] = await tx.query<{ outcomes: LinkedOutcome[] | null }[]>(`SELECT outcomes FROM effectiveness_evaluation WHERE year = $1`, [input.evaluationYear]);
        const outcomes: IndicatorOutcome[] = (evaluation?.outcomes ?? [])
          .filter((o) => o.regionId === COUNTY)
          .flatMap((o) => {
            const figure = figures.find((f) => f.id === o.indicatorId);
            return figure ? [{ figure, previousLevel: 'high' as const, outcome: o.outcome, measures: o.measureIds.length, items: o.itemIds.length }] : [];
          });
        const [work] = await tx.query<{ notices: number; opinions: number; measures: number; items: number; closed: number; meetings: number; interviews: number; listings: number }[]>(
          `SELECT (SELECT count(*)::int FROM risk_notice) AS notices, (SELECT count(*)::int FROM work_opinion) AS opinions, (SELECT count(*)::int FROM measure) AS measures,
                  (SELECT count(*)::int FROM supervision_item) AS items, (SELECT count(*)::int FROM supervision_item WHERE status = 'closed') AS closed,
                  (SELECT count(*)::int FROM joint_meeting WHERE status <> 'scheduled') AS meetings, (SELECT count(*)::int FROM interview) AS interviews, (SELECT count(*)::int FROM listing) AS listings`,
        );
        const decisions = await decisionReviews(tx, input.evaluationYear, input.now);
        const report = figures.length
          ? await issueDocument(tx, systemActor, {
              year,
              businessKey: `public-report:${input.evaluationYear}`,
              mail: false,
              build: () =>
                buildPublicReport({
                  year: input.evaluationYear,
                  issuedOn: today,
                  organs,
                  coPublisher: '唐河县平安建设领导小组办公室',
                  figures,
                  trendIndicatorIds: outcomes.slice(0, 3).map((o) => o.figure.id),
                  outcomes,
                  work: { notices: work!.notices, opinions: work!.opinions, measures: work!.measures, items: work!.items, itemsClosed: work!.closed, meetings: work!.meetings, interviews: work!.interviews, listings: work!.listings },
                  highlights: outcomes.filter((o) => o.outcome === 'resolved' || o.outcome === 'improved').map((o) => `${o.figure.name}风险${o.outcome === 'resolved' ? '已化解' : '有所好转'}`),
                  nextSteps: ['持续开展司法大数据风险评估，完善闭环管理机制。'],
                  seminar: null,
                  decisions,
                }),
            })
          : null;
        const publishedAt = input.now;
        await tx.query(
          `UPDATE effectiveness_evaluation SET published_at = $2, score_sheet_document_id = $3, public_report_document_id = $4, decision_reviews = $5 WHERE year = $1`,
          [input.evaluationYear, publishedAt, sheet.documentId, report?.documentId ?? null, JSON.stringify(decisions)],
        );
        return { scoreSheetDocumentId: sheet.documentId, publicReportDocumentId: report?.documentId ?? sheet.documentId, publishedAt };
      });
      return result;
    },

    /**
     * 成效研讨会 (第十七条): recorded with its experts; the invitation letter to each expert by mail
     * (one mail each: no expert sees another's address) and to the county's leadership.
     */
    async seminar(input: {
      now: string;
      settings: LoopSettings;
      evaluationYear: number;
      seminarDate: string;
      seminarVenue: string;
      seminarTopics?: string | null;
      seminarExperts: { expertName: string; expertOrganisation: string; expertEmail: string }[];
    }) {
      const year = input.evaluationYear;
      await db.transaction(async (tx) => {
        const [row] = await tx.query<{ seminar: unknown }[]>(`SELECT seminar FROM effectiveness_evaluation WHERE year = $1 FOR UPDATE`, [year]);
        if (row?.seminar) return; // a redelivered job: the letter and the mails went out once
        const plan = { date: input.seminarDate, venue: input.seminarVenue, topics: input.seminarTopics ?? null, experts: input.seminarExperts };
        const organs = await loadOrgans(tx);
        await tx.query(`UPDATE effectiveness_evaluation SET seminar_on = $2, seminar = $3 WHERE year = $1`, [year, input.seminarDate, JSON.stringify({ plan })]);
        const issued = await issueDocument(tx, systemActor, {
          year: Number(toLocalDate(input.now).slice(0, 4)),
          businessKey: `seminar-invitation:${year}`,
          mail: false,
          build: () =>
            buildSeminarInvitation({
              year,
              issuedOn: toLocalDate(input.now),
              organs,
              coHost: '最高人民法院中国司法大数据研究院',
              date: input.seminarDate,
              venue: input.seminarVenue,
              topics: formEntries(input.seminarTopics ?? ''),
              experts: input.seminarExperts.map((e) => ({ name: e.expertName, organisation: e.expertOrganisation })),
              contact: issuerContact(deps.config, 'peaceOffice'),
            }),
        });
        const file = await loadDocumentFile(tx, issued.documentId, 'pdf');
        const attachments = [{ filename: file!.fileName, contentType: file!.contentType, contentBase64: file!.data.toString('base64') }];
        const subject = `【邀请函】${year}年度县域社会治理成效研讨会`;
        for (const [i, e] of input.seminarExperts.entries()) {
          await enqueueMail(tx, { dedupKey: `seminar:${year}:expert:${i + 1}`, to: [e.expertEmail], subject, body: `${e.expertName}：\n${renderPlainText(issued.doc)}`, attachments });
        }
        const leaders = await tx.query<{ email: string }[]>(`SELECT email FROM department WHERE kind IN ('leadership', 'office', 'court') ORDER BY id`);
        await enqueueMail(tx, { dedupKey: `seminar:${year}`, to: leaders.map((l) => l.email), subject: `【会议通知】${year}年度县域社会治理成效研讨会`, body: `定于${input.seminarDate}在${input.seminarVenue}召开${year}年度成效研讨会，邀请专家${input.seminarExperts.length}名，邀请函见附件。`, attachments });
        await writeAudit(tx, systemActor, { action: 'effectiveness_evaluation.seminar', entityType: 'effectiveness_evaluation', entityId: String(year), after: { date: input.seminarDate, venue: input.seminarVenue, experts: input.seminarExperts.length, documentId: issued.documentId } });
      });
      return {
        seminarScheduledOn: input.seminarDate,
        seminarEndsAt: new Date(atLocalTime(input.seminarDate, '18:00')).toISOString(),
        seminarRecordDueDate: new Date(atLocalTime(addWorkingDays(deps.workCalendar, input.seminarDate, input.settings.seminarRecordWorkingDays), '17:30')).toISOString(),
        seminarExpertOptions: input.seminarExperts.map((e) => ({ label: `${e.expertName}（${e.expertOrganisation}）`, value: e.expertName })),
      };
    },

    /** The seminar held (第十七条): attendance, conclusions and recommendations kept with the year's evaluation. */
    async recordSeminar(input: { evaluationYear: number; seminarAttended?: string[] | null; seminarOtherAttendees?: string | null; seminarConclusions: string; seminarRecommendations?: string | null }) {
      const record = {
        attended: input.seminarAttended ?? [],
        otherAttendees: input.seminarOtherAttendees ?? null,
        conclusions: input.seminarConclusions,
        recommendations: input.seminarRecommendations ?? null,
      };
      await db.transaction(async (tx) => {
        await tx.query(`UPDATE effectiveness_evaluation SET seminar = coalesce(seminar, '{}'::jsonb) || jsonb_build_object('record', $2::jsonb) WHERE year = $1`, [input.evaluationYear, JSON.stringify(record)]);
        await writeAudit(tx, systemActor, { action: 'effectiveness_evaluation.seminar_record', entityType: 'effectiveness_evaluation', entityId: String(input.evaluationYear), after: { attended: record.attended.length } });
      });
      return {};
    },
  };
}

export type EvaluationFlow = ReturnType<typeof createEvaluationFlow>;
