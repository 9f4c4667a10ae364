import type { DataSource } from 'typeorm';
import type { Config } from '../../config/schema.ts';
import { formEntries } from '../../domain/documents/form-text.ts';
import { buildInterviewNotice, buildInterviewRecord } from '../../domain/documents/interview.ts';
import { addWorkingDays, atLocalTime, toLocalDate, type WorkCalendar } from '../../domain/loop/working-days.ts';
import { ERROR_CODES, type LoopSettings } from '../../engine/contract.ts';
import { BusinessRuleError, NotFoundError } from '../../shared/errors.ts';
import { systemActor } from '../actor.ts';
import { writeAudit, type Queryable } from '../audit.ts';
import { unitRef } from '../display-names.ts';
import { runOnce } from '../effects.ts';
import { issueDocument, issuerContact, loadOrgans } from '../official-documents.ts';
import { recordEscalation } from './escalations.ts';

/**
 * 约谈 (第十五条、第十九条), in both processes that hold one: a supervision item's (the ladder's
 * 红牌 or a leader's order on the item) and a unit's own (a leader's order without an item,
 * unit-interview). The office's arrangement becomes the numbered 约谈通知书; the interview its
 * 约谈记录 with the rectification requirements and deadline; the unit's 整改报告 is kept with it.
 * Each step is keyed by the item or the order, so redelivery changes nothing.
 */

/** Whose 约谈: an item's (supervision-item) or a leader's order of a unit's (unit-interview). */
export interface InterviewSubjectRef {
  itemId?: string | undefined;
  orderId?: string | undefined;
}

interface InterviewSubject {
  /** The business key documents and effects are keyed by: the item id, or order:<id>. */
  key: string;
  itemId: string | null;
  orderId: string | null;
  departmentId: string;
  /** The items the 约谈 is about, as the documents cite them (none for a unit's own). */
  basis: { number: string; title: string }[];
  audit: { entityType: string; entityId: string; action: (verb: string) => string };
}

async function subjectOf(q: Queryable, ref: InterviewSubjectRef): Promise<InterviewSubject> {
  if (!ref.itemId === !ref.orderId) throw new NotFoundError('约谈应针对一项督办事项或一项约谈决定');
  if (ref.itemId) {
    const [item] = await q.query<{ number: string | null; title: string; lead_department_id: string }[]>(`SELECT number, title, lead_department_id FROM supervision_item WHERE id = $1`, [ref.itemId]);
    if (!item) throw new NotFoundError('督办事项不存在');
    return {
      key: ref.itemId,
      itemId: ref.itemId,
      orderId: null,
      departmentId: item.lead_department_id,
      basis: [{ number: item.number ?? '', title: item.title }],
      audit: { entityType: 'supervision_item', entityId: ref.itemId, action: (verb) => `supervision_item.${verb}` },
    };
  }
  const [order] = await q.query<{ department_id: string }[]>(`SELECT department_id FROM escalation_order WHERE id = $1 AND item_id IS NULL`, [ref.orderId]);
  if (!order) throw new NotFoundError('约谈决定不存在');
  return {
    key: `order:${ref.orderId}`,
    itemId: null,
    orderId: ref.orderId!,
    departmentId: order.department_id,
    basis: [],
    audit: { entityType: 'escalation_order', entityId: ref.orderId!, action: (verb) => `escalation_order.${verb}` },
  };
}

export function createInterviews(deps: { db: DataSource; config: Config; workCalendar: WorkCalendar }) {
  const { db } = deps;
  const calendar = deps.workCalendar;

  return {
    /** 约谈通知书 (第十五条): the office's arrangement, numbered and sent to the unit, cc its leader; once per item or order. */
    async interviewNotice(
      input: InterviewSubjectRef & {
        now: string;
        settings: LoopSettings;
        interviewReason: string;
        interviewDate: string;
        interviewTime: string;
        interviewPlace: string;
        interviewers: string;
        interviewMaterials?: string | null;
      },
      jobKey: string,
    ) {
      const today = toLocalDate(input.now);
      const subject = await subjectOf(db, input);
      const { result } = await runOnce(db, { jobType: 'issue-interview-notice', businessKey: subject.key, jobKey }, async (tx) => {
        // Checked only before the notice goes out: a job redelivered after midnight replays the notice sent, it does not send the office back.
        if (input.interviewDate < today) {
          const problems = `约谈日期 ${input.interviewDate} 早于今天（${today}），请重新安排`;
          throw new BusinessRuleError(ERROR_CODES.interviewArrangementInvalid, problems, { arrangementProblems: problems });
        }
        const unit = await unitRef(tx, subject.departmentId);
        const organs = await loadOrgans(tx);
        const issued = await issueDocument(tx, systemActor, {
          series: 'interviewNotice',
          year: Number(today.slice(0, 4)),
          businessKey: `interview-notice:${subject.key}`,
          mail: true,
          build: (number) =>
            buildInterviewNotice({
              number: number!,
              issuedOn: today,
              organs,
              unit,
              interviewee: '主要负责人',
              reason: input.interviewReason,
              basis: subject.basis,
              at: `${input.interviewDate}T${input.interviewTime}`,
              place: input.interviewPlace,
              interviewers: formEntries(input.interviewers).map((title) => ({ title })),
              materials: formEntries(input.interviewMaterials ?? ''),
              reportWithinWorkingDays: input.settings.rectificationWorkingDays,
              contact: issuerContact(deps.config, 'peaceOffice'),
            }),
        });
        await writeAudit(tx, systemActor, {
          action: subject.audit.action('interview_notice'),
          entityType: subject.audit.entityType,
          entityId: subject.audit.entityId,
          departmentId: subject.departmentId,
          after: { number: issued.number, at: `${input.interviewDate}T${input.interviewTime}`, place: input.interviewPlace },
        });
        return { interviewNoticeDocumentId: issued.documentId, interviewNoticeNumber: issued.number! };
      });
      return { ...result, arrangementProblems: null };
    },

    /** 约谈 (第十五条): the record with the rectification requirements and deadline; once per item or order. */
    async interview(
      input: InterviewSubjectRef & {
        now: string;
        settings: LoopSettings;
        interviewHeldAt: string;
        interviewPlace: string;
        interviewers: string;
        interviewees: string;
        interviewProblems: string;
        rectificationRequirements: string;
        rectificationDeadline?: string | null;
        intervieweeStatement: string;
      },
      jobKey: string,
    ) {
      const today = toLocalDate(input.now);
      const rectificationDay = input.rectificationDeadline ?? addWorkingDays(calendar, today, input.settings.rectificationWorkingDays);
      const rectificationDueDate = atLocalTime(rectificationDay, '17:30');
      const listingAt = atLocalTime(addWorkingDays(calendar, rectificationDay, input.settings.listingGraceWorkingDays), '09:00');
      const subject = await subjectOf(db, input);
      const { result } = await runOnce(db, { jobType: 'record-interview', businessKey: subject.key, jobKey }, async (tx) => {
        const unit = await unitRef(tx, subject.departmentId);
        const organs = await loadOrgans(tx);
        const issued = await issueDocument(tx, systemActor, {
          series: 'interviewRecord',
          year: Number(today.slice(0, 4)),
          businessKey: `interview-record:${subject.key}`,
          mail: true,
          build: (number) =>
            buildInterviewRecord({
              number: number!,
              recordedOn: today,
              organs,
              unit,
              basis: subject.basis,
              at: `${input.interviewHeldAt}T09:00`,
              place: input.interviewPlace,
              interviewers: formEntries(input.interviewers).map((title) => ({ title })),
              interviewees: formEntries(input.interviewees).map((title) => ({ title })),
              attendees: [],
              recorder: { title: '县平安办工作人员' },
              problems: formEntries(input.interviewProblems),
              explanation: input.intervieweeStatement,
              requirements: formEntries(input.rectificationRequirements),
              rectificationDeadline: rectificationDay,
              commitment: input.intervieweeStatement,
              reportDueDate: rectificationDay,
            }),
        });
        const [row] = await tx.query<{ id: string }[]>(
          `INSERT INTO interview (item_id, order_id, number, department_id, reason, requirements, rectification_deadline, held_at, record, document_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (${subject.itemId ? 'item_id' : 'order_id'}) DO UPDATE SET held_at = EXCLUDED.held_at RETURNING id`,
          [subject.itemId, subject.orderId, issued.number, subject.departmentId, input.interviewProblems, input.rectificationRequirements, rectificationDueDate, input.interviewHeldAt, JSON.stringify(input), issued.documentId],
        );
        // An item's 约谈 is a step of its ladder; a unit's own is on record as the order's.
        if (subject.itemId) await recordEscalation(tx, systemActor, { itemId: subject.itemId }, 'interview', `interview:${subject.itemId}`, { interviewId: row!.id }, input.now);
        else await writeAudit(tx, systemActor, { action: subject.audit.action('interview'), entityType: subject.audit.entityType, entityId: subject.audit.entityId, departmentId: subject.departmentId, after: { interviewId: row!.id, number: issued.number } });
        return { interviewId: row!.id, interviewDocumentId: issued.documentId };
      });
      return { ...result, rectificationDueDate, listingAt };
    },

    /** The unit's 整改报告 after the 约谈 (第十九条), kept with the interview for the evaluation. */
    async rectification(input: InterviewSubjectRef & { interviewId: string; rectificationReport: string; rectificationCompleted?: boolean | null }) {
      await db.query(`UPDATE interview SET record = record || jsonb_build_object('rectificationReport', $2::text, 'rectificationCompleted', $3::boolean) WHERE id = $1`, [
        input.interviewId,
        input.rectificationReport,
        input.rectificationCompleted ?? null,
      ]);
    },
  };
}

export type Interviews = ReturnType<typeof createInterviews>;
