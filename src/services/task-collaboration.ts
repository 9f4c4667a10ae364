import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import type { Config } from '../config/schema.ts';
import { groupName } from '../domain/identity/engine-identity.ts';
import { toLocalDate } from '../domain/loop/working-days.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.ts';
import type { Clock } from '../shared/time.ts';
import { readLimited } from '../shared/upload-limit.ts';
import { DOCX_MIME, PDF_MIME } from '../documents/files.ts';
import { groupsOf, type Actor } from './actor.ts';
import { writeAudit } from './audit.ts';
import { unitNames } from './display-names.ts';
import type { InboxService } from './inbox.ts';
import { enqueueMail } from './outbox.ts';
import { taskSubjects } from './task-subjects.ts';

/**
 * Working a task together (PRODUCT.md §7, 待办): comments and size-limited attachments on a task
 * (whoever may see the task reads them; its candidates and the office write them), each user's
 * saved inbox filters, and the office's bulk 催办 of overdue tasks — one reminder per task and day,
 * through the outbox, so a repeated click sends nothing twice.
 */

/** Attachments the county exchanges, recognised by their first bytes, not by their names alone. */
const attachmentTypes: Record<string, { contentType: string; magic: number[] }> = {
  pdf: { contentType: PDF_MIME, magic: [0x25, 0x50, 0x44, 0x46] },
  docx: { contentType: DOCX_MIME, magic: [0x50, 0x4b, 0x03, 0x04] },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: [0x50, 0x4b, 0x03, 0x04] },
  jpg: { contentType: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  jpeg: { contentType: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  png: { contentType: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47] },
};

const OFFICE_ROLES = ['peace_office', 'leader'] as const;

export interface InboxFilter {
  processId?: string;
  light?: 'red' | 'yellow' | 'green';
}

export function createTaskCollaboration(deps: { db: DataSource; config: Config; clock: Clock; inbox: InboxService }) {
  const { db, inbox } = deps;

  /** The task if the actor may see it (else 404), and whether the actor may add to it. */
  async function task(actor: Actor, key: string, write: boolean) {
    // Visibility only: the form and its variables are not needed to read or add a comment.
    const t = await inbox.visible(actor, key);
    const candidate = t.candidateGroups.some((g) => groupsOf(actor).includes(g.id));
    if (write && !candidate && !OFFICE_ROLES.some((r) => actor.roles.includes(r))) throw new ForbiddenError('您不是该待办的办理人');
    return t;
  }

  return {
    async comments(actor: Actor, key: string) {
      await task(actor, key, false);
      return db.query(
        `SELECT id, author_name AS "authorName", department_id AS "departmentId", body, created_at AS "createdAt" FROM task_comment WHERE task_key = $1 ORDER BY created_at, id`,
        [key],
      );
    },

    async addComment(actor: Actor, key: string, body: string) {
      await task(actor, key, true);
      return db.transaction(async (tx) => {
        const [row] = await tx.query<{ id: string }[]>(
          `INSERT INTO task_comment (task_key, author_id, author_name, department_id, body) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [key, actor.id, actor.displayName, actor.departmentId, body],
        );
        await writeAudit(tx, actor, { action: 'task.comment', entityType: 'user_task', entityId: key, departmentId: actor.departmentId, after: { commentId: row!.id, body } });
        return { id: row!.id };
      });
    },

    async attachments(actor: Actor, key: string) {
      await task(actor, key, false);
      return db.query(
        `SELECT id, file_name AS "fileName", content_type AS "contentType", size, sha256, uploader_name AS "uploaderName", created_at AS "createdAt"
         FROM task_attachment WHERE task_key = $1 ORDER BY created_at, id`,
        [key],
      );
    },

    async addAttachment(actor: Actor, key: string, fileName: string, body: Readable, declaredBytes?: number) {
      await task(actor, key, true);
      const extension = fileName.split('.').pop()?.toLowerCase() ?? '';
      const type = attachmentTypes[extension];
      if (!type) {
        body.resume();
        throw new ValidationError([{ field: 'fileName', reason: '附件只能是 PDF、Word（.docx）、Excel（.xlsx）、JPEG 或 PNG 文件' }]);
      }
      const data = await readLimited(body, deps.config.ATTACHMENT_LIMIT_BYTES, declaredBytes);
      if (data.length === 0 || !type.magic.every((b, i) => data[i] === b)) {
        throw new ValidationError([{ field: 'fileName', reason: `文件内容不是 ${extension.toUpperCase()} 文件` }]);
      }
      const sha256 = createHash('sha256').update(data).digest('hex');
      return db.transaction(async (tx) => {
        const [row] = await tx.query<{ id: string }[]>(
          `INSERT INTO task_attachment (task_key, file_name, content_type, size, sha256, data, uploaded_by, uploader_name, department_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
          [key, fileName, type.contentType, data.length, sha256, data, actor.id, actor.displayName, actor.departmentId],
        );
        await writeAudit(tx, actor, { action: 'task.attach', entityType: 'user_task', entityId: key, departmentId: actor.departmentId, after: { attachmentId: row!.id, fileName, size: data.length, sha256 } });
        return { id: row!.id, sha256 };
      });
    },

    async attachment(actor: Actor, key: string, id: string) {
      await task(actor, key, false);
      const [row] = await db.query<{ file_name: string; content_type: string; data: Buffer; sha256: string }[]>(
        `SELECT file_name, content_type, data, sha256 FROM task_attachment WHERE id = $1 AND task_key = $2`,
        [id, key],
      );
      if (!row) throw new NotFoundError('附件不存在');
      return { fileName: row.file_name, contentType: row.content_type, data: row.data, sha256: row.sha256 };
    },

    filters: (actor: Actor) =>
      db.query(`SELECT id, name, filter FROM saved_filter WHERE user_id = $1 ORDER BY created_at`, [actor.id]) as Promise<{ id: string; name: string; filter: InboxFilter }[]>,

    async saveFilter(actor: Actor, name: string, filter: InboxFilter) {
      const [row] = await db.query<{ id: string }[]>(
        `INSERT INTO saved_filter (user_id, name, filter) VALUES ($1, $2, $3) ON CONFLICT (user_id, name) DO UPDATE SET filter = EXCLUDED.filter RETURNING id`,
        [actor.id, name, JSON.stringify(filter)],
      );
      return { id: row!.id };
    },

    async deleteFilter(actor: Actor, id: string) {
      // TypeORM answers a DELETE with [rows, count].
      const [deleted] = (await db.query(`DELETE FROM saved_filter WHERE id = $1 AND user_id = $2 RETURNING id`, [id, actor.id])) as [unknown[], number];
      if (deleted.length === 0) throw new NotFoundError('筛选条件不存在');
    },

    /** The county's overdue tasks (the office's view for 催办): unit, task and what it is about, how late. */
    async overdue() {
      const rows = await db.query<{ key: string; processInstanceKey: string; processId: string; elementId: string; candidateGroups: string[]; dueDate: Date }[]>(
        `SELECT DISTINCT ON (t.due_date, t.key) t.key, t.process_instance_key AS "processInstanceKey", t.bpmn_process_id AS "processId", t.element_id AS "elementId",
                t.candidate_groups AS "candidateGroups", t.due_date AS "dueDate"
         FROM engine_user_task t JOIN department d ON d.id = ANY(t.candidate_groups)
         WHERE t.state = 'CREATED' AND t.due_date < $1 ORDER BY t.due_date, t.key LIMIT 500`,
        [deps.clock.now()],
      );
      const units = await unitNames(db);
      const subjects = await taskSubjects(db, rows.map((r) => r.processInstanceKey), units);
      return rows.map(({ processInstanceKey, candidateGroups, ...r }) => ({
        ...r,
        candidateGroups: candidateGroups.map((id) => ({ id, name: groupName(id, units) })),
        subject: subjects.get(processInstanceKey) ?? null,
        name: inbox.taskName(r.processId, r.elementId),
        processName: inbox.processName(r.processId),
      }));
    },

    /** Bulk 催办: one reminder mail per overdue task and day to the unit holding it, audited. */
    async urge(actor: Actor, keys: string[]) {
      const today = toLocalDate(deps.clock.now());
      const result = { urged: [] as string[], skipped: [] as { key: string; reason: string }[] };
      for (const key of keys) {
        await db.transaction(async (tx) => {
          const [t] = await tx.query<{ candidate_groups: string[]; due_date: Date | null; element_id: string; bpmn_process_id: string; creation_time: Date }[]>(
            `SELECT candidate_groups, due_date, element_id, bpmn_process_id, creation_time FROM engine_user_task WHERE key = $1 AND state = 'CREATED'`,
            [key],
          );
          if (!t) return result.skipped.push({ key, reason: '待办不存在或已办结' });
          if (!t.due_date || t.due_date >= deps.clock.now()) return result.skipped.push({ key, reason: '尚未逾期' });
          const units = await tx.query<{ id: string; name: string; email: string }[]>(`SELECT id, name, email FROM department WHERE id = ANY($1)`, [t.candidate_groups]);
          if (units.length === 0) return result.skipped.push({ key, reason: '不是单位的待办' });
          const name = inbox.taskName(t.bpmn_process_id, t.element_id);
          const queued = await enqueueMail(tx, {
            // The creation time pins the task: an engine started afresh (tests) reuses keys.
            dedupKey: `manual-urge:${key}:${t.creation_time.getTime()}:${today}`,
            to: units.map((u) => u.email),
            subject: `【催办】${name}已逾期，请尽快办理`,
            body: `${units.map((u) => u.name).join('、')}：\n\n“${name}”的办理期限为 ${toLocalDate(t.due_date)}，现已逾期。请登录社会治理风险闭环管理平台尽快办理。\n\n唐河县平安办\n${today}`,
          });
          if (!queued) return result.skipped.push({ key, reason: '今天已催办' });
          await writeAudit(tx, actor, { action: 'task.urge', entityType: 'user_task', entityId: key, after: { units: units.map((u) => u.id), dueDate: t.due_date } });
          return result.urged.push(key);
        });
      }
      return result;
    },
  };
}

export type TaskCollaboration = ReturnType<typeof createTaskCollaboration>;
