import type { DataSource } from 'typeorm';
import type { ProcessCatalog } from '../engine/catalog.ts';
import type { EngineGateway } from '../engine/client.ts';
import { EngineRestError } from '../engine/rest.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../shared/errors.ts';
import type { Actor } from './actor.ts';
import { writeAudit } from './audit.ts';
import { unitNames } from './display-names.ts';
import { taskSubjects, type TaskSubject } from './task-subjects.ts';

/**
 * 故障处理 (issue 21 §5): the loop's open incidents — a step whose automatic work failed until its
 * retries ran out (a document that could not be generated, a database that refused a write) — for
 * the office and admins: which matter (the loop record the instance carries), which step, why (the
 * worker's reason in Chinese, src/shared/failure-reason.ts), since when; and 重试 once the cause is
 * fixed, which is audited. Read from the engine's incident history (src/engine/read-views.ts);
 * only root causes are listed: an incident in a called process repeats on its callers, but it is
 * fixed and retried where it happened. Cockpit shows the same incidents (the page links to it).
 */

export interface OpenIncident {
  key: string;
  processInstanceKey: string;
  processId: string;
  processName: string;
  businessKey: string | null;
  /** The loop record the instance works on (notice, item, round, meeting); null for other processes. */
  subject: TaskSubject | null;
  elementId: string;
  /** The step's name in the diagram, e.g. 签发督办通知书. */
  elementName: string;
  type: string;
  typeLabel: string;
  /** The failure's reason as the worker reported it (Chinese for the product's workers). */
  message: string | null;
  createdAt: string;
  /** Whether 重试 can act on it here (failed external tasks and jobs); others are handled in Cockpit. */
  retryable: boolean;
}

/** Who handles incidents: the office runs the loop, admins run the system. The route checks the same. */
export function handlesIncidents(actor: Actor): boolean {
  return actor.roles.some((r) => r === 'peace_office' || r === 'admin');
}

const typeLabels: Readonly<Record<string, string>> = {
  failedExternalTask: '自动处理失败，重试次数已用完',
  failedJob: '定时或异步作业失败，重试次数已用完',
};

interface IncidentRow {
  key: string;
  process_instance_key: string;
  bpmn_process_id: string;
  element_id: string;
  job_key: string | null;
  error_type: string;
  error_message: string | null;
  creation_time: Date;
  business_key: string | null;
}

const OPEN = `SELECT i.key::text AS key, i.process_instance_key::text AS process_instance_key, i.bpmn_process_id, i.element_id, i.job_key,
                     i.error_type, i.error_message, i.creation_time, pi.business_key
                FROM engine_incident i LEFT JOIN engine_process_instance pi ON pi.key = i.process_instance_key
               WHERE i.state = 'ACTIVE' AND coalesce(i.root_cause_key, i.key) = i.key`;

export function createIncidentService(deps: { db: DataSource; engine: EngineGateway; catalog: ProcessCatalog }) {
  const { db, engine, catalog } = deps;

  const allow = (actor: Actor) => {
    if (!handlesIncidents(actor)) throw new ForbiddenError('仅平安办和系统管理员可以查看和处理流程故障');
  };

  return {
    async list(actor: Actor): Promise<OpenIncident[]> {
      allow(actor);
      const rows = await db.query<IncidentRow[]>(`${OPEN} ORDER BY i.creation_time DESC, i.key DESC LIMIT 500`);
      const subjects = await taskSubjects(
        db,
        rows.map((r) => r.process_instance_key),
        await unitNames(db),
      );
      return rows.map((r) => ({
        key: r.key,
        processInstanceKey: r.process_instance_key,
        processId: r.bpmn_process_id,
        processName: catalog.processName(r.bpmn_process_id) ?? r.bpmn_process_id,
        businessKey: r.business_key,
        subject: subjects.get(r.process_instance_key) ?? null,
        elementId: r.element_id,
        elementName: catalog.element(r.bpmn_process_id, r.element_id)?.name ?? r.element_id,
        type: r.error_type,
        typeLabel: typeLabels[r.error_type] ?? '流程异常',
        message: r.error_message,
        createdAt: r.creation_time.toISOString(),
        retryable: r.error_type in typeLabels && r.job_key !== null,
      }));
    },

    /** The number of open incidents: the badge on the office's and admins' navigation and home page. */
    async count(actor: Actor): Promise<{ count: number }> {
      allow(actor);
      const [row] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM (${OPEN}) open`);
      return { count: row?.n ?? 0 };
    },

    /** 重试 after the cause is fixed: one more attempt of the failed step, at once; audited with what was fixed (`note`). */
    async retry(actor: Actor, key: string, note?: string): Promise<{ ok: true }> {
      allow(actor);
      const [row] = await db.query<IncidentRow[]>(`${OPEN} AND i.key = $1`, [key]);
      if (!row) throw new NotFoundError('故障不存在或已处理');
      if (!(row.error_type in typeLabels) || row.job_key === null) throw new ConflictError('此类故障不能在此重试，请在 Cockpit 中处理');
      try {
        if (row.error_type === 'failedExternalTask') await engine.retryExternalTask(row.job_key);
        else await engine.retryJob(row.job_key);
      } catch (error) {
        // Resolved or cancelled meanwhile (someone retried in Cockpit, the instance was cancelled).
        if (error instanceof EngineRestError && (error.status === 404 || /not found|Cannot find/i.test(error.message))) throw new NotFoundError('故障不存在或已处理');
        throw error;
      }
      await writeAudit(db, actor, {
        action: 'incident.retry',
        entityType: 'incident',
        entityId: row.key,
        before: {
          processInstanceKey: row.process_instance_key,
          processId: row.bpmn_process_id,
          businessKey: row.business_key,
          elementId: row.element_id,
          elementName: catalog.element(row.bpmn_process_id, row.element_id)?.name ?? row.element_id,
          type: row.error_type,
          message: row.error_message,
        },
        after: { retries: 1, note: note || null },
      });
      return { ok: true };
    },
  };
}

export type IncidentService = ReturnType<typeof createIncidentService>;
