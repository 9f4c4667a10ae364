import { endOfLocalDay, isLocalDate } from '../../domain/loop/working-days.ts';
import type { DataSource } from 'typeorm';
import { BusinessRuleError, ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../../shared/errors.ts';
import type { Actor } from '../actor.ts';
import { writeAudit, type Queryable } from '../audit.ts';
import { link } from './trace.ts';

/**
 * 风险提示函 and the department's 工作意见 (policy 第七条、第八条): the notice is issued once per
 * round and department; the opinion carries analysis and measures, each with an owner, a
 * responsible department, a deadline and the indicators and townships it targets.
 */
export interface NoticeRecord {
  id: string;
  roundId: string;
  departmentId: string;
  indicatorIds: string[];
  status: string;
  dueDate: string | null;
}

export interface MeasureInput {
  content: string;
  ownerName: string;
  responsibleDepartmentId: string;
  deadline: string;
  indicatorIds: string[];
  townships: string[];
}

const toNotice = (r: { id: string; round_id: string; department_id: string; indicator_ids: string[]; status: string; due_date: Date | null }): NoticeRecord => ({
  id: r.id,
  roundId: r.round_id,
  departmentId: r.department_id,
  indicatorIds: r.indicator_ids,
  status: r.status,
  dueDate: r.due_date?.toISOString() ?? null,
});

export function createNoticeService(db: DataSource) {
  const load = async (q: Queryable, id: string, lock = false): Promise<NoticeRecord> => {
    const rows = await q.query<Parameters<typeof toNotice>[0][]>(`SELECT * FROM risk_notice WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    if (!rows[0]) throw new NotFoundError('风险提示函不存在');
    return toNotice(rows[0]);
  };

  return {
    load: (id: string) => load(db, id),

    /**
     * Registers the notice once per (round, department): a redelivered job finds the same row.
     * The 风险提示函 itself (numbered, PDF mailed to the department, cc 政法委 and 平安办) is
     * issued by the notice flow in the same business step.
     */
    async issue(
      actor: Actor,
      input: { roundId: string; departmentId: string; indicatorIds: string[]; dueDate: string; processInstanceKey?: string },
    ): Promise<NoticeRecord> {
      return db.transaction(async (tx) => {
        const inserted = await tx.query<Parameters<typeof toNotice>[0][]>(
          `INSERT INTO risk_notice (round_id, department_id, indicator_ids, due_date, process_instance_key)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (round_id, department_id) DO NOTHING RETURNING *`,
          [input.roundId, input.departmentId, input.indicatorIds, input.dueDate, input.processInstanceKey ?? null],
        );
        if (!inserted[0]) {
          const [existing] = await tx.query<Parameters<typeof toNotice>[0][]>(`SELECT * FROM risk_notice WHERE round_id = $1 AND department_id = $2`, [
            input.roundId,
            input.departmentId,
          ]);
          return toNotice(existing!);
        }
        const notice = toNotice(inserted[0]);
        for (const indicatorId of input.indicatorIds) {
          await link(tx, { kind: 'indicator', id: `${input.roundId}:${indicatorId}` }, { kind: 'notice', id: notice.id });
        }
        await writeAudit(tx, actor, { action: 'risk_notice.issue', entityType: 'risk_notice', entityId: notice.id, departmentId: notice.departmentId, after: notice });
        return notice;
      });
    },

    /** The department's work opinion; only the notice's own department may submit it. */
    async submitOpinion(
      actor: Actor,
      noticeId: string,
      input: { analysis: string; measures: MeasureInput[]; problems?: string | null; dueDate?: string },
      now = new Date(),
    ): Promise<{ opinionId: string; version: number; late: boolean }> {
      const problems: FieldProblem[] = [];
      if (input.analysis.trim().length < 10) problems.push({ field: 'analysis', reason: '分析研判不能少于 10 个字' });
      if (input.measures.length === 0) problems.push({ field: 'measures', reason: '至少需要一项具体措施' });
      input.measures.forEach((m, i) => {
        if (!m.content.trim()) problems.push({ field: `measures.${i}.content`, reason: '必填' });
        if (!m.ownerName.trim()) problems.push({ field: `measures.${i}.ownerName`, reason: '请填写责任人' });
        if (!isLocalDate(m.deadline) || new Date(endOfLocalDay(m.deadline)) < now) {
          problems.push({ field: `measures.${i}.deadline`, reason: '完成时限应为今天之后的日期' });
        }
      });
      if (problems.length) throw new ValidationError(problems);
      return db.transaction(async (tx) => {
        const notice = await load(tx, noticeId, true);
        if (actor.departmentId !== notice.departmentId) throw new NotFoundError('风险提示函不存在');
        if (notice.status === 'answered') throw new ConflictError('工作意见已提交，正在审核');
        if (notice.status === 'accepted' || notice.status === 'closed') throw new BusinessRuleError('NOTICE_CLOSED', '该风险提示函已办结');
        const known: { id: string }[] = await tx.query(`SELECT id FROM department WHERE id = ANY($1)`, [input.measures.map((m) => m.responsibleDepartmentId)]);
        const unknown = input.measures.findIndex((m) => !known.some((k) => k.id === m.responsibleDepartmentId));
        if (unknown >= 0) throw new ValidationError([{ field: `measures.${unknown}.responsibleDepartmentId`, reason: '责任部门不存在' }]);
        const [{ version }] = await tx.query<{ version: number }[]>(`SELECT coalesce(max(version), 0) + 1 AS version FROM work_opinion WHERE notice_id = $1`, [noticeId]);
        // A returned opinion has its own revision deadline (the process passes it); else the notice's.
        const due = input.dueDate ?? notice.dueDate;
        const late = due !== null && now > new Date(due);
        const [opinion] = await tx.query<{ id: string }[]>(
          `INSERT INTO work_opinion (notice_id, version, analysis, submitted_by, late, submitted_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [noticeId, version, input.analysis, actor.username, late, now],
        );
        await link(tx, { kind: 'notice', id: noticeId }, { kind: 'opinion', id: opinion!.id });
        for (const [seq, m] of input.measures.entries()) {
          const [measure] = await tx.query<{ id: string }[]>(
            `INSERT INTO measure (opinion_id, seq, content, owner_name, responsible_department_id, deadline, indicator_ids, townships)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
            [opinion!.id, seq + 1, m.content, m.ownerName, m.responsibleDepartmentId, m.deadline, m.indicatorIds, m.townships],
          );
          await link(tx, { kind: 'opinion', id: opinion!.id }, { kind: 'measure', id: measure!.id });
        }
        await tx.query(`UPDATE risk_notice SET status = 'answered', answered_at = $2 WHERE id = $1`, [noticeId, now]);
        await writeAudit(tx, actor, { action: 'work_opinion.submit', entityType: 'work_opinion', entityId: opinion!.id, departmentId: notice.departmentId, after: { version, late, ...input } });
        return { opinionId: opinion!.id, version, late };
      });
    },

    /** The office accepts the latest opinion or returns it with a reason (counted for scoring). */
    async reviewOpinion(actor: Actor, noticeId: string, decision: 'accept' | 'return', reason: string | null): Promise<void> {
      if (decision === 'return' && !reason?.trim()) throw new ValidationError([{ field: 'reason', reason: '退回时必须说明理由' }]);
      await db.transaction(async (tx) => {
        const notice = await load(tx, noticeId, true);
        if (notice.status !== 'answered') throw new ConflictError('没有待审核的工作意见');
        await tx.query(
          `UPDATE work_opinion SET review_decision = $2, review_reason = $3, reviewed_by = $4, reviewed_at = now()
           WHERE notice_id = $1 AND version = (SELECT max(version) FROM work_opinion WHERE notice_id = $1)`,
          [noticeId, decision, reason, actor.username],
        );
        await tx.query(`UPDATE risk_notice SET status = $2, accepted_at = CASE WHEN $2 = 'accepted' THEN now() END WHERE id = $1`, [
          noticeId,
          decision === 'accept' ? 'accepted' : 'returned',
        ]);
        await writeAudit(tx, actor, { action: `work_opinion.${decision}`, entityType: 'risk_notice', entityId: noticeId, departmentId: notice.departmentId, after: { decision, reason } });
      });
    },
  };
}

export type NoticeService = ReturnType<typeof createNoticeService>;
