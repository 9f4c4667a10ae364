import type { DataSource } from 'typeorm';
import type { Config } from '../../config/schema.ts';
import { buildUrgeNotice, type UrgeSubject } from '../../domain/documents/urge-notice.ts';
import { reminderMail, reminderStillDue, type ReminderKind, type ReminderSubjectKind } from '../../domain/loop/reminders.ts';
import { addWorkingDays, toLocalDate, type WorkCalendar } from '../../domain/loop/working-days.ts';
import { systemActor } from '../actor.ts';
import type { Queryable } from '../audit.ts';
import { runOnce } from '../effects.ts';
import { issueDocument, issuerContact, loadOrgans } from '../official-documents.ts';
import { enqueueMail } from '../outbox.ts';
import { recordEscalation, type EscalationSubject } from './escalations.ts';

/**
 * 提醒 and 催办 of every process (DOMAIN.md §4.6): a reminder mail to the unit or the role that
 * owes the next step, and the 《催办通知书》 after a deadline, cc the unit's 分管领导, recorded as an
 * escalation. Both are keyed by subject, kind and deadline: a redelivered job, or the same timer
 * re-armed for an unchanged deadline, sends nothing twice; a moved deadline is a new reminder.
 */

interface SubjectFacts {
  /** Null when the subject does not exist (nothing to remind of). */
  status: string | null;
  title: string;
  number: string | null;
  departmentId: string | null;
  /** Whose escalation ledger a 催办 goes into. */
  escalationSubject: EscalationSubject | null;
  progressReported: boolean;
}

const missing: SubjectFacts = { status: null, title: '', number: null, departmentId: null, escalationSubject: null, progressReported: false };

/** Unit whose mailbox stands in for a role when no user of that role has an address. */
const roleUnits: Record<string, string> = { peace_office: 'pab', leader: 'zfw', court_analyst: 'court' };

async function subjectFacts(q: Queryable, kind: ReminderSubjectKind, id: string): Promise<SubjectFacts> {
  const one = async <T>(sql: string): Promise<T | undefined> => (await q.query<T[]>(sql, [id]))[0];
  switch (kind) {
    case 'notice': {
      const r = await one<{ status: string; number: string | null; round_id: string; department_id: string }>(
        `SELECT status, number, round_id, department_id FROM risk_notice WHERE id::text = $1`,
      );
      if (!r) return missing;
      return { status: r.status, title: `${r.round_id}风险提示函`, number: r.number, departmentId: r.department_id, escalationSubject: { noticeId: id }, progressReported: false };
    }
    case 'item': {
      const r = await one<{ status: string; number: string | null; title: string; lead_department_id: string; reports: number }>(
        `SELECT status, number, title, lead_department_id, (SELECT count(*)::int FROM progress_report p WHERE p.item_id = i.id) AS reports
         FROM supervision_item i WHERE id::text = $1`,
      );
      if (!r) return missing;
      return { status: r.status, title: r.title, number: r.number, departmentId: r.lead_department_id, escalationSubject: { itemId: id }, progressReported: r.reports > 0 };
    }
    case 'listing': {
      const r = await one<{ delisted: boolean; number: string | null; title: string; department_id: string; item_id: string; reports: number }>(
        `SELECT l.delisted_at IS NOT NULL AS delisted, l.number, i.title, l.department_id, l.item_id, jsonb_array_length(l.monthly_reports) AS reports
         FROM listing l JOIN supervision_item i ON i.id = l.item_id WHERE l.id::text = $1`,
      );
      if (!r) return missing;
      return {
        status: r.delisted ? 'delisted' : 'listed',
        title: r.title,
        number: r.number,
        departmentId: r.department_id,
        escalationSubject: { itemId: r.item_id },
        progressReported: r.reports > 0,
      };
    }
    case 'round': {
      const r = await one<{ status: string }>(`SELECT status FROM assessment_round WHERE id = $1`);
      return r ? { ...missing, status: r.status, title: `${id}评估报告` } : missing;
    }
    case 'meeting': {
      const r = await one<{ status: string }>(`SELECT status FROM joint_meeting WHERE id = $1`);
      return r ? { ...missing, status: r.status, title: `${id}联席会议` } : missing;
    }
    case 'bulletin': {
      const r = await one<{ sent: boolean; number: string | null }>(`SELECT sent_at IS NOT NULL AS sent, number FROM bulletin WHERE id = $1`);
      return r ? { ...missing, status: r.sent ? 'sent' : 'compiled', title: r.number ?? id, number: r.number } : missing;
    }
    case 'evaluation': {
      const r = await one<{ published: boolean }>(`SELECT published_at IS NOT NULL AS published FROM effectiveness_evaluation WHERE year::text = $1`);
      return r ? { ...missing, status: r.published ? 'published' : 'open', title: `${id}年度成效评价` } : missing;
    }
  }
}

async function recipients(q: Queryable, departmentId: string | undefined, group: string | undefined): Promise<{ name: string; emails: string[] }> {
  if (departmentId) {
    const [unit] = await q.query<{ name: string; email: string }[]>(`SELECT name, email FROM department WHERE id = $1`, [departmentId]);
    return unit ? { name: unit.name, emails: [unit.email] } : { name: '', emails: [] };
  }
  if (!group) return { name: '', emails: [] };
  const users = await q.query<{ email: string }[]>(`SELECT email FROM app_user WHERE $1 = ANY(roles) AND email IS NOT NULL AND NOT disabled ORDER BY username`, [group]);
  const [unit] = await q.query<{ name: string; email: string }[]>(`SELECT name, email FROM department WHERE id = $1`, [roleUnits[group] ?? group]);
  return { name: unit?.name ?? '', emails: users.length > 0 ? users.map((u) => u.email) : unit ? [unit.email] : [] };
}

export interface ReminderRequest {
  now: string;
  subjectKind: ReminderSubjectKind;
  subjectId: string;
  reminderKind: ReminderKind;
  dueDate: string;
  recipientDepartmentId?: string;
  recipientGroup?: string;
}

export interface UrgeRequest {
  now: string;
  subjectKind: UrgeSubject;
  subjectId: string;
  departmentId: string;
  dueDate: string;
  /** Working days the urged unit gets before a 黄牌 (settings.yellowCardAfterUrgeWorkingDays). */
  graceWorkingDays: number;
}

export function createReminderService(deps: { db: DataSource; config: Config; workCalendar: WorkCalendar }) {
  const calendar = deps.workCalendar;

  return {
    /** One reminder mail per subject × kind × deadline; a 临近提醒 of an item or notice is also its yellow light. */
    async remind(request: ReminderRequest, jobKey: string): Promise<{ sent: boolean }> {
      const businessKey = `${request.subjectKind}:${request.subjectId}:${request.reminderKind}:${request.dueDate}`;
      const { result } = await runOnce(deps.db, { jobType: 'send-reminder', businessKey, jobKey }, async (tx) => {
        const facts = await subjectFacts(tx, request.subjectKind, request.subjectId);
        if (!reminderStillDue(request.subjectKind, request.reminderKind, facts.status)) return { sent: false };
        const to = await recipients(tx, request.recipientDepartmentId, request.recipientGroup);
        if (to.emails.length === 0) return { sent: false };
        const mail = reminderMail({ subjectKind: request.subjectKind, kind: request.reminderKind, title: facts.title, dueDate: toLocalDate(request.dueDate), recipientName: to.name });
        await enqueueMail(tx, { dedupKey: `reminder:${businessKey}`, to: to.emails, ...mail });
        if (request.reminderKind === 'before_due' && facts.escalationSubject) {
          await recordEscalation(tx, systemActor, facts.escalationSubject, 'reminder', businessKey, { dueDate: request.dueDate }, request.now);
        }
        return { sent: true };
      });
      return result;
    },

    /** 《催办通知书》 to the unit, cc its 分管领导, counted as a 催办 (red light) for scoring. */
    async urge(request: UrgeRequest, jobKey: string): Promise<{ urged: boolean }> {
      const businessKey = `${request.subjectKind}:${request.subjectId}:urge:${request.dueDate}`;
      const { result } = await runOnce(deps.db, { jobType: 'send-urge-notice', businessKey, jobKey }, async (tx) => {
        const facts = await subjectFacts(tx, request.subjectKind, request.subjectId);
        if (!facts.escalationSubject || !reminderStillDue(request.subjectKind, 'at_due', facts.status)) return { urged: false };
        const [unit] = await tx.query<{ id: string; name: string }[]>(`SELECT id, name FROM department WHERE id = $1`, [request.departmentId]);
        if (!unit) return { urged: false };
        const subjectColumn = 'itemId' in facts.escalationSubject ? 'item_id' : 'notice_id';
        const subjectId = 'itemId' in facts.escalationSubject ? facts.escalationSubject.itemId : facts.escalationSubject.noticeId;
        const [{ urges }] = await tx.query<{ urges: number }[]>(
          `SELECT count(*)::int AS urges FROM escalation_event WHERE ${subjectColumn} = $1 AND kind = 'urge'`,
          [subjectId],
        );
        const issuedOn = toLocalDate(request.now);
        const organs = await loadOrgans(tx);
        const issued = await issueDocument(tx, systemActor, {
          series: 'urgeNotice',
          year: Number(issuedOn.slice(0, 4)),
          businessKey: `urge:${businessKey}`,
          mail: true,
          build: (number) =>
            buildUrgeNotice({
              number: number!,
              issuedOn,
              organs,
              subject: request.subjectKind,
              item: {
                number: facts.number ?? '未编号',
                title: facts.title,
                lead: { id: unit.id, name: unit.name },
                deadline: toLocalDate(request.dueDate),
                progressReported: facts.progressReported,
              },
              round: urges + 1,
              colour: 'red',
              newDeadline: addWorkingDays(calendar, issuedOn, request.graceWorkingDays),
              ccLeader: { title: '分管县领导', unitId: unit.id },
              criticismAfterWorkingDays: request.graceWorkingDays,
              contact: issuerContact(deps.config, 'peaceOffice'),
            }),
        });
        await recordEscalation(tx, systemActor, facts.escalationSubject, 'urge', businessKey, {
          dueDate: request.dueDate,
          documentId: issued.documentId,
          number: issued.number,
        }, request.now);
        return { urged: true };
      });
      return result;
    },
  };
}

export type ReminderService = ReturnType<typeof createReminderService>;
