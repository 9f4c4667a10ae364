import type { DataSource } from 'typeorm';
import type { Config } from '../../config/schema.ts';
import { documentSeries } from '../../domain/documents/document-number.ts';
import { buildWarningCard } from '../../domain/documents/warning-card.ts';
import { buildListingNotice, buildRectificationOrder } from '../../domain/documents/listing.ts';
import { buildSupervisionNotice } from '../../domain/documents/supervision-notice.ts';
import { escalationSchedule, isEscalationDue, type EscalationEvent } from '../../domain/loop/escalation.ts';
import { ORDER_REASONS, type OrderedStep, type OrderReason } from '../../domain/loop/escalation-orders.ts';
import { addWorkingDays, atLocalTime, toLocalDate, workingDayDeadline, type WorkCalendar } from '../../domain/loop/working-days.ts';
import type { LoopSettings } from '../../engine/contract.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { systemActor, type Actor } from '../actor.ts';
import { writeAudit, type Queryable } from '../audit.ts';
import { allocateDocumentNumber } from '../document-numbers.ts';
import { unitNames, unitRef } from '../display-names.ts';
import { runOnce } from '../effects.ts';
import { issueDocument, issuerContact, loadOrgans } from '../official-documents.ts';
import { enqueueMail } from '../outbox.ts';
import { recordEscalation } from './escalations.ts';
import type { SupervisionService } from './supervision.ts';

/**
 * The `supervision-item` process's steps (第十一条–第十五条, DOMAIN.md §4.2–§4.6): 登记立项 with
 * the 督办编号, the 督办事项通知书 to the lead unit cc co-units, 签收, progress reports, the result
 * (the lead unit alone), extensions, the ladder 提醒 → 催办 → 黄牌 → 红牌 (the 约谈 that follows:
 * interviews.ts), 挂牌督办 with the 限期整改指令书 and monthly reports, 验收 and 摘牌, the office's
 * review and the closing that scoring reads. Each step is keyed by its business so redelivery changes nothing.
 */

type ItemRow = {
  id: string;
  business_key: string;
  number: string | null;
  title: string;
  source_kind: 'notice' | 'meeting';
  source_id: string;
  measure_id: string | null;
  lead_department_id: string;
  co_department_ids: string[];
  requirements: string;
  deadline: Date;
  major: boolean;
  status: string;
  registered_at: Date;
  signed_at: Date | null;
  submitted_at: Date | null;
  closed_at: Date | null;
  returned_count: number;
};

const leadActor = (departmentId: string): Actor => ({ id: null, username: `dept:${departmentId}`, displayName: departmentId, departmentId, roles: ['department'] });
const iso = (d: Date | null) => d?.toISOString() ?? null;

export function createItemFlow(deps: { db: DataSource; config: Config; supervision: SupervisionService; workCalendar: WorkCalendar }) {
  const { db } = deps;
  const calendar = deps.workCalendar;

  async function load(q: Queryable, itemId: string): Promise<ItemRow> {
    const [row] = await q.query<ItemRow[]>(`SELECT * FROM supervision_item WHERE id = $1`, [itemId]);
    if (!row) throw new NotFoundError('督办事项不存在');
    return row;
  }

  async function history(q: Queryable, itemId: string): Promise<EscalationEvent[]> {
    const rows = await q.query<{ kind: EscalationEvent['kind']; at: Date }[]>(`SELECT kind, at FROM escalation_event WHERE item_id = $1 ORDER BY at`, [itemId]);
    return rows.map((r) => ({ kind: r.kind, at: r.at.toISOString() }));
  }

  const ladderRules = (s: LoopSettings) => ({
    reminderLeadWorkingDays: s.reminderLeadWorkingDays,
    urgeAfterWorkingDays: s.urgeAfterWorkingDays,
    yellowCardAfterUrgeWorkingDays: s.yellowCardAfterUrgeWorkingDays,
    redCardAfterYellowCardWorkingDays: s.redCardAfterYellowCardWorkingDays,
  });

  /** Escalation events carry the engine's time, so ladders computed from them agree with the timers. */
  const escalate = (q: Queryable, itemId: string, kind: EscalationEvent['kind'], key: string, now: string, detail: Record<string, unknown> = {}) =>
    recordEscalation(q, systemActor, { itemId }, kind, key, detail, now);

  return {
    /** 登记立项: the 督办编号 (the number its 督办事项通知书 will carry) and the item's facts for the process. */
    async open(itemId: string, processInstanceKey: string) {
      const item = await load(db, itemId);
      const number = await db.transaction(async (tx) => {
        const allocated = await allocateDocumentNumber(tx, documentSeries.supervisionNotice, item.registered_at.getUTCFullYear(), `supervision-notice:${itemId}`);
        await tx.query(`UPDATE supervision_item SET number = $2, process_instance_key = $3 WHERE id = $1`, [itemId, allocated.number, processInstanceKey]);
        return allocated.number;
      });
      return {
        itemNumber: number,
        itemTitle: item.title,
        leadDepartmentId: item.lead_department_id,
        coDepartmentIds: item.co_department_ids,
        itemDeadline: item.deadline.toISOString(),
        major: item.major,
        signedAt: iso(item.signed_at),
      };
    },

    /** The ladder's dates from the real history (re-run after every return and extension). */
    async escalationDates(input: { now: string; settings: LoopSettings; itemId: string; itemDeadline: string }) {
      const item = await load(db, input.itemId);
      const schedule = escalationSchedule({ deadline: input.itemDeadline, history: await history(db, input.itemId) }, input.now, ladderRules(input.settings), calendar);
      const sign = workingDayDeadline(calendar, item.registered_at, input.settings.signWorkingDays);
      return { signDueDate: sign.dueDate, ...schedule };
    },

    /** 督办事项通知书 (第十二条): 主送 the lead unit, 抄送 the co-units, with its 督办编号. */
    async issueNotice(input: { itemId: string }, now: string, jobKey: string) {
      const { result } = await runOnce(db, { jobType: 'issue-supervision-notice', businessKey: input.itemId, jobKey }, async (tx) => {
        const item = await load(tx, input.itemId);
        const units = await unitNames(tx);
        const [source] =
          item.source_kind === 'notice'
            ? await tx.query<{ number: string | null }[]>(`SELECT number FROM risk_notice WHERE id::text = $1`, [item.source_id])
            : await tx.query<{ number: string | null }[]>(`SELECT number FROM joint_meeting WHERE id = $1`, [item.source_id]);
        const [measure] = item.measure_id
          ? await tx.query<{ indicator_ids: string[] }[]>(`SELECT indicator_ids FROM measure WHERE id = $1`, [item.measure_id])
          : [{ indicator_ids: [] as string[] }];
        const names = new Map(
          (await tx.query<{ id: string; definition: { name: string } }[]>(`SELECT DISTINCT ON (id) id, definition FROM indicator_definition ORDER BY id, version DESC`)).map((d) => [d.id, d.definition.name]),
        );
        const issuedOn = toLocalDate(now);
        const organs = await loadOrgans(tx);
        const deadline = toLocalDate(item.deadline);
        const issued = await issueDocument(tx, systemActor, {
          series: 'supervisionNotice',
          year: item.registered_at.getUTCFullYear(),
          businessKey: `supervision-notice:${item.id}`,
          mail: true,
          build: (number) =>
            buildSupervisionNotice({
              number: number!,
              issuedOn,
              organs,
              item: {
                title: item.title,
                content: item.requirements,
                source: {
                  kind: item.source_kind,
                  number: source?.number ?? item.source_id,
                  title: item.source_kind === 'notice' ? '风险提示函' : '联席会议纪要',
                },
                receivedOn: toLocalDate(item.registered_at),
                indicators: (measure?.indicator_ids ?? []).map((id) => ({ id, name: names.get(id) ?? id, level: 'high' as const })),
                lead: { id: item.lead_department_id, name: units.get(item.lead_department_id) ?? item.lead_department_id },
                coUnits: item.co_department_ids.map((id) => ({ id, name: units.get(id) ?? id })),
                goal: item.requirements,
                measures: [item.requirements],
                milestones: [{ date: deadline, task: '报送办理结果（一事一文，加盖公章）' }],
                deadline: deadline < issuedOn ? issuedOn : deadline,
                major: item.major,
              },
              signedBy: '县委政法委副书记、县平安办主任',
              contact: issuerContact(deps.config, 'peaceOffice'),
              receiptDueDate: toLocalDate(addWorkingDays(calendar, issuedOn, 2)),
            }),
        });
        await tx.query(`UPDATE supervision_item SET notice_document_id = $2, status = CASE WHEN status = 'registered' THEN 'issued' ELSE status END WHERE id = $1`, [
          item.id,
          issued.documentId,
        ]);
        return { supervisionNoticeDocumentId: issued.documentId };
      });
      return result;
    },

    /** 签收 with the person in charge (回执). */
    async sign(input: { now: string; itemId: string; handlerName: string; handlerPhone?: string | null; responsibleDivision?: string | null }) {
      await db.transaction(async (tx) => {
        // TypeORM answers an UPDATE with [rows, count]: the rows say whether this call signed it.
        const [signed] = (await tx.query(
          `UPDATE supervision_item SET signed_at = $2, status = CASE WHEN status IN ('registered', 'issued') THEN 'signed' ELSE status END WHERE id = $1 AND signed_at IS NULL RETURNING id`,
          [input.itemId, input.now],
        )) as [unknown[], number];
        if (signed.length) {
          const item = await load(tx, input.itemId);
          await writeAudit(tx, leadActor(item.lead_department_id), {
            action: 'supervision_item.sign',
            entityType: 'supervision_item',
            entityId: input.itemId,
            departmentId: item.lead_department_id,
            after: { handlerName: input.handlerName, responsibleDivision: input.responsibleDivision ?? null },
          });
        }
      });
      return { signedAt: iso((await load(db, input.itemId)).signed_at)! };
    },

    /** The lead unit's 办理结果; whether it came on time; the office's review deadline. */
    async result(input: { now: string; settings: LoopSettings; itemId: string; itemDeadline: string; resultSummary: string; resultEffect?: string | null; remainingIssues?: string | null }, jobKey: string) {
      await runOnce(db, { jobType: 'record-item-result', businessKey: `${input.itemId}:${jobKey}`, jobKey }, async (tx) => {
        const item = await load(tx, input.itemId);
        const summary = [input.resultSummary, input.resultEffect ? `成效：${input.resultEffect}` : '', input.remainingIssues ? `遗留问题：${input.remainingIssues}` : ''].filter(Boolean).join('\n');
        await tx.query(`UPDATE supervision_item SET result_summary = $2, submitted_at = $3, status = 'submitted' WHERE id = $1`, [input.itemId, summary, input.now]);
        await writeAudit(tx, leadActor(item.lead_department_id), { action: 'supervision_item.result', entityType: 'supervision_item', entityId: input.itemId, departmentId: item.lead_department_id, after: { summary } });
        return null;
      });
      return {
        resultOnTime: Date.parse(input.now) <= Date.parse(input.itemDeadline),
        reviewDueDate: workingDayDeadline(calendar, input.now, input.settings.officeReviewWorkingDays).dueDate,
      };
    },

    async progress(input: { itemId: string; progressReport: { reportId: string; content: string; reportedBy: string } }) {
      const item = await load(db, input.itemId);
      await deps.supervision.reportProgress(leadActor(item.lead_department_id), input.itemId, input.progressReport.reportId, input.progressReport.content);
    },

    /** Extension: granted only when the office and a leader both approve; the deadline moves and the ladder restarts. */
    async extension(input: {
      now: string;
      itemId: string;
      itemDeadline: string;
      officeExtensionDecision: 'approve' | 'refuse';
      officeExtensionOpinion?: string | null;
      leaderExtensionDecision?: 'approve' | 'refuse' | null;
      leaderExtensionOpinion?: string | null;
      extensionRequest: { requestId: string; reason: string; requestedDeadline: string };
    }) {
      const granted = input.officeExtensionDecision === 'approve' && input.leaderExtensionDecision === 'approve';
      const newDeadline = granted ? atLocalTime(input.extensionRequest.requestedDeadline, '17:30') : input.itemDeadline;
      await db.transaction(async (tx) => {
        const created = await escalate(tx, input.itemId, granted ? 'extension_granted' : 'extension_refused', `extension:${input.extensionRequest.requestId}`, input.now, {
          requestedDeadline: input.extensionRequest.requestedDeadline,
          reason: input.extensionRequest.reason,
          officeOpinion: input.officeExtensionOpinion ?? null,
          leaderOpinion: input.leaderExtensionOpinion ?? null,
        });
        if (created && granted) await tx.query(`UPDATE supervision_item SET deadline = $2 WHERE id = $1`, [input.itemId, newDeadline]);
      });
      return { extensionGranted: granted, itemDeadline: granted ? new Date(newDeadline).toISOString() : input.itemDeadline };
    },

    /** 黄牌 / 红牌 when the ladder says so: recorded once per deadline, the 通报 mailed to the unit cc its leader. */
    async warningCard(input: { now: string; settings: LoopSettings; itemId: string; cardKind: 'yellow_card' | 'red_card' }) {
      return db.transaction(async (tx) => {
        const item = await load(tx, input.itemId);
        const snapshot = { deadline: item.deadline.toISOString(), submittedAt: iso(item.submitted_at), closedAt: iso(item.closed_at), history: await history(tx, input.itemId) };
        if (!isEscalationDue(input.cardKind, snapshot, input.now, ladderRules(input.settings), calendar)) return { escalated: false };
        const key = `${input.itemId}:${input.cardKind}:${snapshot.deadline}`;
        if (!(await escalate(tx, input.itemId, input.cardKind, key, input.now))) return { escalated: true };
        // The 通报 with its 文号 (docx and PDF), to the unit, cc its 分管领导 and the 政法委.
        const today = toLocalDate(input.now);
        const lead = await unitRef(tx, item.lead_department_id);
        const organs = await loadOrgans(tx);
        await issueDocument(tx, systemActor, {
          series: 'warningCard',
          year: Number(today.slice(0, 4)),
          businessKey: `card:${key}`,
          mail: true,
          build: (number) =>
            buildWarningCard({
              number: number!,
              issuedOn: today,
              organs,
              card: input.cardKind,
              item: { number: item.number ?? '', title: item.title, lead, deadline: toLocalDate(item.deadline) },
              contact: issuerContact(deps.config, 'peaceOffice'),
            }),
        });
        return { escalated: true };
      });
    },

    /** 挂牌督办 (DOMAIN.md §4.5): one listing per item with its 挂牌编号 and deadline. */
    async list(input: { now: string; settings: LoopSettings; itemId: string; orderedStep?: OrderedStep; orderReason?: OrderReason; orderEvidence?: string }) {
      return db.transaction(async (tx) => {
        const item = await load(tx, input.itemId);
        const problem = input.orderedStep === 'listing' && input.orderReason ? `${ORDER_REASONS[input.orderReason].label}：${input.orderEvidence ?? item.title}` : item.title;
        const today = toLocalDate(input.now);
        const due = new Date(Date.parse(input.now));
        due.setUTCMonth(due.getUTCMonth() + input.settings.listingPeriodMonths);
        const allocated = await allocateDocumentNumber(tx, documentSeries.listing, Number(today.slice(0, 4)), `listing:${input.itemId}`);
        const inserted = await tx.query<{ id: string }[]>(
          `INSERT INTO listing (item_id, number, department_id, problem, deadline) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (item_id) DO NOTHING RETURNING id`,
          [input.itemId, allocated.number, item.lead_department_id, problem, due.toISOString()],
        );
        const [listing] = await tx.query<{ id: string; deadline: Date }[]>(`SELECT id, deadline FROM listing WHERE item_id = $1`, [input.itemId]);
        const planDue = workingDayDeadline(calendar, input.now, input.settings.listingPlanWorkingDays).dueDate;
        if (inserted.length) {
          await escalate(tx, input.itemId, 'listing', `listing:${input.itemId}`, input.now, { listingId: listing!.id });
          // The 挂牌督办通知书 carries the 挂牌编号 itself (same series and key as the number above).
          const unit = await unitRef(tx, item.lead_department_id);
          const organs = await loadOrgans(tx);
          await issueDocument(tx, systemActor, {
            series: 'listing',
            year: Number(today.slice(0, 4)),
            businessKey: `listing:${input.itemId}`,
            mail: true,
            build: (number) =>
              buildListingNotice({
                number: number!,
                issuedOn: today,
                organs,
                unit,
                item: { number: item.number ?? '', title: item.title },
                problem,
                deadline: toLocalDate(listing!.deadline),
                planDueDate: toLocalDate(planDue),
                contact: issuerContact(deps.config, 'peaceOffice'),
              }),
          });
        }
        return { listingId: listing!.id, newlyListed: inserted.length > 0, listingDueDate: listing!.deadline.toISOString(), listingPlanDueDate: planDue };
      });
    },

    /** A listed unit's report: the 五落实 plan (which issues the 限期整改指令书), a 月报, or the request for acceptance. */
    async listingReport(
      input: {
        now: string;
        itemId: string;
        listingId: string;
        reportKind: 'plan' | 'monthly' | 'acceptance_request';
        caseLeader?: string | null;
        responsibilityPlan?: string | null;
        measuresPlan?: string | null;
        fundingPlan?: string | null;
        timelinePlan?: string | null;
        contingencyPlan?: string | null;
        monthlyProgress?: string | null;
        monthlyIssues?: string | null;
        nextSteps?: string | null;
        rectificationSummary?: string | null;
      },
      jobKey: string,
    ) {
      await runOnce(db, { jobType: 'record-listing-report', businessKey: `${input.listingId}:${input.reportKind}:${jobKey}`, jobKey }, async (tx) => {
        const [listing] = await tx.query<{ number: string; department_id: string; problem: string; deadline: Date }[]>(`SELECT number, department_id, problem, deadline FROM listing WHERE id = $1`, [input.listingId]);
        if (!listing) throw new NotFoundError('挂牌督办记录不存在');
        if (input.reportKind === 'plan') {
          const five = {
            responsibility: input.responsibilityPlan ?? '',
            measures: input.measuresPlan ?? '',
            funding: input.fundingPlan ?? '',
            timeline: input.timelinePlan ?? '',
            contingency: input.contingencyPlan ?? '',
          };
          const unit = await unitRef(tx, listing.department_id);
          const organs = await loadOrgans(tx);
          const today = toLocalDate(input.now);
          const issued = await issueDocument(tx, systemActor, {
            series: 'rectificationOrder',
            year: Number(today.slice(0, 4)),
            businessKey: `rectification-order:${input.listingId}`,
            mail: true,
            build: (number) =>
              buildRectificationOrder({
                number: number!,
                issuedOn: today,
                organs,
                unit,
                listingNumber: listing.number,
                problem: listing.problem,
                ground: 'poor_peace_building',
                leader: { title: input.caseLeader ?? '包案县级领导' },
                five,
                deadline: toLocalDate(listing.deadline),
                milestones: [{ date: toLocalDate(listing.deadline), task: '完成整改并申请验收' }],
                monthlyReportDay: 5,
                contact: issuerContact(deps.config, 'peaceOffice'),
              }),
          });
          await tx.query(`UPDATE listing SET five_implementations = $2, document_id = $3 WHERE id = $1`, [input.listingId, JSON.stringify({ ...five, caseLeader: input.caseLeader }), issued.documentId]);
        } else {
          const report = {
            kind: input.reportKind,
            at: input.now,
            progress: input.monthlyProgress ?? input.rectificationSummary ?? '',
            issues: input.monthlyIssues ?? null,
            nextSteps: input.nextSteps ?? null,
          };
          await tx.query(`UPDATE listing SET monthly_reports = monthly_reports || $2::jsonb WHERE id = $1`, [input.listingId, JSON.stringify([report])]);
        }
        return null;
      });
    },

    /** 验收合格 → 摘牌销号. */
    async delist(input: { now: string; itemId: string; listingId: string; acceptors: string; acceptanceDate: string; acceptanceOpinion: string }) {
      await db.transaction(async (tx) => {
        await tx.query(`UPDATE listing SET accepted_at = coalesce(accepted_at, $2), delisted_at = coalesce(delisted_at, $3) WHERE id = $1`, [
          input.listingId,
          atLocalTime(input.acceptanceDate, '17:30'),
          input.now,
        ]);
        await escalate(tx, input.itemId, 'delisting', `delisting:${input.listingId}`, input.now, { acceptors: input.acceptors, opinion: input.acceptanceOpinion });
      });
      const [row] = await db.query<{ delisted_at: Date }[]>(`SELECT delisted_at FROM listing WHERE id = $1`, [input.listingId]);
      return { delistedAt: row!.delisted_at.toISOString() };
    },

    /** The office's review of the result; a return is counted (returned_count + 1) and mailed with the reason. */
    async review(input: { now: string; itemId: string; itemReviewDecision: 'accept' | 'return'; itemReviewReason?: string | null; itemReviewChecks?: string[] | null }, jobKey: string) {
      await runOnce(db, { jobType: 'record-item-review', businessKey: `${input.itemId}:${jobKey}`, jobKey }, async (tx) => {
        const item = await load(tx, input.itemId);
        await writeAudit(tx, { ...systemActor, username: 'office:pab', departmentId: 'pab' }, {
          action: `supervision_item.review_${input.itemReviewDecision}`,
          entityType: 'supervision_item',
          entityId: input.itemId,
          departmentId: item.lead_department_id,
          after: { reason: input.itemReviewReason ?? null, checks: input.itemReviewChecks ?? [] },
        });
        if (input.itemReviewDecision === 'return') {
          await escalate(tx, input.itemId, 'returned', `returned:item:${input.itemId}:${jobKey}`, input.now, { reason: input.itemReviewReason });
          await tx.query(`UPDATE supervision_item SET submitted_at = NULL WHERE id = $1`, [input.itemId]);
          const [unit] = await tx.query<{ name: string; email: string }[]>(`SELECT name, email FROM department WHERE id = $1`, [item.lead_department_id]);
          await enqueueMail(tx, {
            dedupKey: `item-returned:${input.itemId}:${jobKey}`,
            to: [unit!.email],
            subject: `【办理结果退回】${item.number ?? ''} ${item.title}`,
            body: `${unit!.name}：\n你单位报送的督办事项办理结果经县平安办审核，退回重新办理。理由：${input.itemReviewReason ?? ''}\n唐河县平安建设领导小组办公室`,
          });
        }
        return null;
      });
      return { returnedCount: (await load(db, input.itemId)).returned_count };
    },

    /** 办结: on time or not, returns and escalations stay on the record for scoring. */
    async close(input: { now: string; itemId: string }) {
      await db.query(
        `UPDATE supervision_item SET status = 'closed', closed_at = coalesce(closed_at, $2), result_on_time = coalesce(result_on_time, coalesce(submitted_at, $2) <= deadline) WHERE id = $1`,
        [input.itemId, input.now],
      );
      return { itemClosedAt: iso((await load(db, input.itemId)).closed_at)! };
    },
  };
}

export type ItemFlow = ReturnType<typeof createItemFlow>;
