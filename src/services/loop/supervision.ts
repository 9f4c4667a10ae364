import { endOfLocalDay } from '../../domain/loop/working-days.ts';
import type { DataSource } from 'typeorm';
import type { EscalationKind } from '../../domain/loop/escalation.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import type { Actor } from '../actor.ts';
import { writeAudit, type Queryable } from '../audit.ts';
import { enqueueMail } from '../outbox.ts';
import { recordEscalation } from './escalations.ts';
import { link } from './trace.ts';

/**
 * 督办事项 (policy 第十一条–第十五条): one matter, one item, registered from an accepted opinion's
 * measures or a joint meeting's decisions; the lead unit alone reports the result, co-units are
 * copied; escalations are recorded once per business key.
 */
export interface ItemRecord {
  id: string;
  businessKey: string;
  title: string;
  leadDepartmentId: string;
  coDepartmentIds: string[];
  deadline: string;
  status: string;
  stage: string;
  returnedCount: number;
}

type ItemRow = {
  id: string;
  business_key: string;
  title: string;
  lead_department_id: string;
  co_department_ids: string[];
  deadline: Date;
  status: string;
  stage: string;
  returned_count: number;
};
const toItem = (r: ItemRow): ItemRecord => ({
  id: r.id,
  businessKey: r.business_key,
  title: r.title,
  leadDepartmentId: r.lead_department_id,
  coDepartmentIds: r.co_department_ids,
  deadline: r.deadline.toISOString(),
  status: r.status,
  stage: r.stage,
  returnedCount: r.returned_count,
});

export function createSupervisionService(db: DataSource) {
  const load = async (q: Queryable, id: string, lock = false): Promise<ItemRecord> => {
    const rows = await q.query<ItemRow[]>(`SELECT * FROM supervision_item WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    if (!rows[0]) throw new NotFoundError('督办事项不存在');
    return toItem(rows[0]);
  };

  async function register(
    q: Queryable,
    actor: Actor,
    input: {
      businessKey: string;
      title: string;
      sourceKind: 'notice' | 'meeting';
      sourceId: string;
      measureId?: string;
      leadDepartmentId: string;
      coDepartmentIds: string[];
      requirements: string;
      deadline: string;
      major?: boolean;
    },
  ): Promise<ItemRecord> {
    const inserted = await q.query<ItemRow[]>(
      `INSERT INTO supervision_item (business_key, title, source_kind, source_id, measure_id, lead_department_id, co_department_ids, requirements, deadline, major)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (business_key) DO NOTHING RETURNING *`,
      [
        input.businessKey,
        input.title,
        input.sourceKind,
        input.sourceId,
        input.measureId ?? null,
        input.leadDepartmentId,
        input.coDepartmentIds,
        input.requirements,
        input.deadline,
        input.major ?? false,
      ],
    );
    if (!inserted[0]) return toItem((await q.query<ItemRow[]>(`SELECT * FROM supervision_item WHERE business_key = $1`, [input.businessKey]))[0]!);
    const item = toItem(inserted[0]);
    if (input.measureId) await link(q, { kind: 'measure', id: input.measureId }, { kind: 'item', id: item.id });
    await writeAudit(q, actor, { action: 'supervision_item.register', entityType: 'supervision_item', entityId: item.id, departmentId: item.leadDepartmentId, after: item });
    return item;
  }

  return {
    load: (id: string) => load(db, id),

    /** 登记立项: one item per measure of the accepted opinion (第十一条 一事一件). */
    async registerFromAcceptedOpinion(actor: Actor, noticeId: string): Promise<ItemRecord[]> {
      return db.transaction(async (tx) => {
        // The date as text: read as a Date it would be midnight in the server's time zone, not Beijing's.
        const measures = await tx.query<{ id: string; content: string; responsible_department_id: string; deadline: string; department_id: string; round_id: string }[]>(
          `SELECT m.id, m.content, m.responsible_department_id, to_char(m.deadline, 'YYYY-MM-DD') AS deadline, n.department_id, n.round_id
           FROM measure m JOIN work_opinion o ON o.id = m.opinion_id JOIN risk_notice n ON n.id = o.notice_id
           WHERE n.id = $1 AND n.status = 'accepted' AND o.review_decision = 'accept' ORDER BY m.seq`,
          [noticeId],
        );
        const items: ItemRecord[] = [];
        for (const m of measures) {
          items.push(
            await register(tx, actor, {
              businessKey: `measure:${m.id}`,
              title: m.content.slice(0, 120),
              sourceKind: 'notice',
              sourceId: noticeId,
              measureId: m.id,
              leadDepartmentId: m.responsible_department_id,
              coDepartmentIds: m.responsible_department_id === m.department_id ? [] : [m.department_id],
              requirements: m.content,
              deadline: new Date(endOfLocalDay(m.deadline)).toISOString(),
            }),
          );
        }
        return items;
      });
    },

    register: (actor: Actor, input: Parameters<typeof register>[2]) => db.transaction((tx) => register(tx, actor, input)),
    /** The same, inside the caller's transaction (with the records that must commit together with the item). */
    registerIn: register,

    /** 督办事项通知书 to the lead unit, 抄送 co-units (第十二条). */
    async issueNotice(actor: Actor, itemId: string): Promise<void> {
      await db.transaction(async (tx) => {
        const item = await load(tx, itemId, true);
        const units = await tx.query<{ id: string; name: string; email: string }[]>(`SELECT id, name, email FROM department WHERE id = ANY($1)`, [
          [item.leadDepartmentId, ...item.coDepartmentIds],
        ]);
        const lead = units.find((u) => u.id === item.leadDepartmentId)!;
        await enqueueMail(tx, {
          dedupKey: `supervision-notice:${item.id}`,
          to: [lead.email],
          cc: units.filter((u) => u.id !== lead.id).map((u) => u.email),
          subject: `【督办事项通知书】${item.title}`,
          body: `${lead.name}：\n请按督办要求办理“${item.title}”，并于 ${item.deadline.slice(0, 10)} 前将办理结果（一事一文，加盖公章）报县平安办。`,
        });
        if (item.status === 'registered') await tx.query(`UPDATE supervision_item SET status = 'issued' WHERE id = $1`, [item.id]);
        await writeAudit(tx, actor, { action: 'supervision_item.issue_notice', entityType: 'supervision_item', entityId: item.id, departmentId: item.leadDepartmentId });
      });
    },

    /** Records an escalation step once per business key and moves the item's stage up. */
    async escalate(actor: Actor, itemId: string, kind: EscalationKind, businessKey: string, detail: Record<string, unknown> = {}): Promise<boolean> {
      return db.transaction(async (tx) => {
        await load(tx, itemId, true);
        return recordEscalation(tx, actor, { itemId }, kind, businessKey, detail);
      });
    },

    /** A progress report (major matters report any time, 第十三条); idempotent by message id. */
    async reportProgress(actor: Actor, itemId: string, messageId: string, content: string): Promise<void> {
      if (!content.trim()) throw new ValidationError([{ field: 'content', reason: '必填' }]);
      await db.transaction(async (tx) => {
        const item = await load(tx, itemId);
        if (actor.departmentId && actor.departmentId !== item.leadDepartmentId) throw new NotFoundError('督办事项不存在');
        const rows = await tx.query<unknown[]>(
          `INSERT INTO progress_report (item_id, message_id, content, reported_by) VALUES ($1, $2, $3, $4) ON CONFLICT (message_id) DO NOTHING RETURNING id`,
          [itemId, messageId, content, actor.username],
        );
        if (rows.length && item.status !== 'closed') await tx.query(`UPDATE supervision_item SET status = 'in_progress' WHERE id = $1 AND status IN ('issued','signed')`, [itemId]);
        if (rows.length) await writeAudit(tx, actor, { action: 'supervision_item.progress', entityType: 'supervision_item', entityId: itemId, departmentId: item.leadDepartmentId, after: { content } });
      });
    },

    /** The office's review of the result: accept closes (on time or not is recorded), return counts against the unit. */
    async reviewResult(actor: Actor, itemId: string, decision: 'accept' | 'return', reason: string | null, now = new Date()): Promise<ItemRecord> {
      if (decision === 'return' && !reason?.trim()) throw new ValidationError([{ field: 'reason', reason: '退回时必须说明理由' }]);
      return db.transaction(async (tx) => {
        const item = await load(tx, itemId, true);
        if (item.status === 'closed') throw new ConflictError('该督办事项已办结');
        if (decision === 'accept') {
          await tx.query(`UPDATE supervision_item SET status = 'closed', closed_at = $2, result_on_time = ($2 <= deadline) WHERE id = $1`, [itemId, now]);
        } else {
          await tx.query(`UPDATE supervision_item SET status = 'returned', returned_count = returned_count + 1 WHERE id = $1`, [itemId]);
        }
        await writeAudit(tx, actor, { action: `supervision_item.result_${decision}`, entityType: 'supervision_item', entityId: itemId, departmentId: item.leadDepartmentId, after: { reason } });
        return load(tx, itemId);
      });
    },
  };
}

export type SupervisionService = ReturnType<typeof createSupervisionService>;
