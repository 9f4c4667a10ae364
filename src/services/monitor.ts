import type { DataSource } from 'typeorm';
import { groupName } from '../domain/identity/engine-identity.ts';
import { dueLight, type Light } from '../domain/loop/escalation.ts';
import type { ProcessCatalog } from '../engine/catalog.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { Clock } from '../shared/time.ts';
import { groupsOf, type Actor } from './actor.ts';
import { unitNames } from './display-names.ts';
import { businessStateOf } from './monitor-business.ts';
import { createProcessSource } from './process-source.ts';

/**
 * The process monitor, read from the engine's tables (src/engine/read-views.ts): running loops and, for one
 * instance, where it stands (element states), its open user tasks with red/yellow/green lights
 * and its incidents. Scope: the court, leaders, the office, admins and auditors see every
 * instance; a department user sees only instances that have a user task for its department,
 * and in them only its own tasks (a foreign instance is "not found").
 */

export interface InstanceSummary {
  key: string;
  processId: string;
  processName: string;
  version: number;
  state: string;
  startTime: string;
  endTime: string | null;
  parentKey: string | null;
  openTaskCount: number;
  overdueTaskCount: number;
  incidentCount: number;
  /** The worst light of the open tasks; null without open tasks with a due date. */
  light: Light | null;
}

export interface ElementState {
  elementId: string;
  elementType: string;
  active: number;
  completed: number;
  terminated: number;
}

export interface OpenTask {
  key: string;
  elementId: string;
  name: string;
  candidateGroups: { id: string; name: string }[];
  assignee: string | null;
  dueDate: string | null;
  light: Light | null;
  /** Whether the caller may open it in the inbox. */
  mine: boolean;
}

export interface InstanceIncident {
  key: string;
  elementId: string;
  errorType: string;
  /** Null for department users: technical messages can carry other units' data. */
  message: string | null;
  createdAt: string;
}

/** Roles that see every instance; a user with only the department role sees its own. */
function seesAll(actor: Actor): boolean {
  return actor.roles.some((r) => r !== 'department');
}

interface InstanceRow {
  key: string;
  bpmn_process_id: string;
  version: number;
  state: string;
  start_time: Date;
  end_time: Date | null;
  parent_process_instance_key: string;
  open_tasks: string;
  overdue_tasks: string;
  soon_tasks: string;
  dated_tasks: string;
  incidents: string;
  total?: string;
}

/** Counts for the instances of `alias` (open tasks the caller may see, by light; active incidents); $1 all, $2 groups, $3 now. */
const STATS = (alias: string) => `CROSS JOIN LATERAL (
  SELECT count(*) AS open_tasks,
         count(*) FILTER (WHERE t.due_date < $3) AS overdue_tasks,
         count(*) FILTER (WHERE t.due_date >= $3 AND t.due_date <= $3 + interval '3 days') AS soon_tasks,
         count(t.due_date) AS dated_tasks,
         (SELECT count(*) FROM engine_incident i WHERE i.process_instance_key = ${alias}.key AND i.state = 'ACTIVE') AS incidents
  FROM engine_user_task t
  WHERE t.process_instance_key = ${alias}.key AND t.state = 'CREATED' AND ($1 OR t.candidate_groups && $2::text[])) stats`;
const VISIBLE = `($1 OR EXISTS (SELECT 1 FROM engine_user_task t WHERE t.process_instance_key = pi.key AND t.candidate_groups && $2::text[]))`;

export function createMonitorService(deps: { db: DataSource; catalog: ProcessCatalog; clock: Clock }) {
  const { db, catalog, clock } = deps;
  const source = createProcessSource(deps);

  const summary = (r: InstanceRow): InstanceSummary => {
    const overdue = Number(r.overdue_tasks);
    return {
      key: r.key,
      processId: r.bpmn_process_id,
      processName: catalog.processName(r.bpmn_process_id) ?? r.bpmn_process_id,
      version: r.version,
      state: r.state,
      startTime: r.start_time.toISOString(),
      endTime: r.end_time?.toISOString() ?? null,
      parentKey: r.parent_process_instance_key === '-1' ? null : r.parent_process_instance_key,
      openTaskCount: Number(r.open_tasks),
      overdueTaskCount: overdue,
      incidentCount: Number(r.incidents),
      light: overdue > 0 ? 'red' : Number(r.soon_tasks) > 0 ? 'yellow' : Number(r.dated_tasks) > 0 ? 'green' : null,
    };
  };

  return {
    async processes(actor: Actor) {
      const list = await source.list();
      const counts: { id: string; running: string }[] = await db.query(
        `SELECT pi.bpmn_process_id AS id, count(*) AS running FROM engine_process_instance pi
         WHERE pi.state = 'ACTIVE' AND ${VISIBLE} GROUP BY pi.bpmn_process_id`,
        [seesAll(actor), groupsOf(actor)],
      );
      const running = new Map(counts.map((c) => [c.id, Number(c.running)]));
      return list.map((p) => ({ ...p, running: running.get(p.id) ?? 0 }));
    },

    async processXml(id: string, version?: number): Promise<{ id: string; name: string; version: number | null; xml: string }> {
      if (version !== undefined) {
        const xml = await source.forVersion(id, version);
        if (!xml) throw new NotFoundError('流程图不存在');
        return { id, name: source.name(id) ?? id, version, xml };
      }
      const latest = await source.latest(id);
      if (!latest) throw new NotFoundError('流程图不存在');
      return { id, name: latest.name, version: latest.version, xml: latest.xml };
    },

    async list(
      actor: Actor,
      filter: { processId?: string; state?: string; limit: number; offset: number },
    ): Promise<{ items: InstanceSummary[]; total: number }> {
      const rows: InstanceRow[] = await db.query(
        `WITH page AS (
           SELECT pi.*, count(*) OVER () AS total FROM engine_process_instance pi
           WHERE ${VISIBLE} AND ($4::text IS NULL OR pi.bpmn_process_id = $4) AND ($5::text IS NULL OR pi.state = $5)
           ORDER BY pi.start_time DESC, pi.key DESC LIMIT $6 OFFSET $7)
         SELECT page.*, stats.* FROM page ${STATS('page')} ORDER BY page.start_time DESC, page.key DESC`,
        [seesAll(actor), groupsOf(actor), clock.now(), filter.processId ?? null, filter.state ?? null, filter.limit, filter.offset],
      );
      return { items: rows.map(summary), total: Number(rows[0]?.total ?? 0) };
    },

    async get(actor: Actor, key: string) {
      const all = seesAll(actor);
      const groups = groupsOf(actor);
      const now = clock.now();
      const [row]: InstanceRow[] = await db.query(`SELECT pi.*, stats.* FROM engine_process_instance pi ${STATS('pi')} WHERE pi.key = $4 AND ${VISIBLE}`, [
        all,
        groups,
        now,
        key,
      ]);
      if (!row) throw new NotFoundError('流程实例不存在');

      const elements: { element_id: string; element_type: string; active: string; completed: string; terminated: string }[] = await db.query(
        `SELECT element_id, min(element_type) AS element_type,
                count(*) FILTER (WHERE state = 'ACTIVE') AS active,
                count(*) FILTER (WHERE state = 'COMPLETED') AS completed,
                count(*) FILTER (WHERE state = 'TERMINATED') AS terminated
         FROM engine_element_instance WHERE process_instance_key = $1 AND element_type <> 'PROCESS' GROUP BY element_id ORDER BY element_id`,
        [key],
      );
      const tasks: { key: string; element_id: string; candidate_groups: string[]; assignee: string | null; due_date: Date | null }[] = await db.query(
        `SELECT key, element_id, candidate_groups, assignee, due_date FROM engine_user_task
         WHERE process_instance_key = $1 AND state = 'CREATED' AND ($2 OR candidate_groups && $3::text[]) ORDER BY due_date ASC NULLS LAST, key`,
        [key, all, groups],
      );
      const incidents: { key: string; element_id: string; error_type: string; error_message: string | null; creation_time: Date }[] = await db.query(
        `SELECT key, element_id, error_type, error_message, creation_time FROM engine_incident WHERE process_instance_key = $1 AND state = 'ACTIVE' ORDER BY key`,
        [key],
      );
      const units = await unitNames(db);
      const business = await businessStateOf(db, row.bpmn_process_id, key, now, (id) => units.get(id) ?? id);

      return {
        ...summary(row),
        business,
        elements: elements.map(
          (e): ElementState => ({
            elementId: e.element_id,
            elementType: e.element_type,
            active: Number(e.active),
            completed: Number(e.completed),
            terminated: Number(e.terminated),
          }),
        ),
        openTasks: tasks.map(
          (t): OpenTask => ({
            key: t.key,
            elementId: t.element_id,
            name: catalog.element(row.bpmn_process_id, t.element_id)?.name ?? t.element_id,
            candidateGroups: t.candidate_groups.map((g) => ({ id: g, name: groupName(g, units) })),
            assignee: t.assignee,
            dueDate: t.due_date?.toISOString() ?? null,
            light: dueLight(t.due_date, now),
            mine: t.candidate_groups.some((g) => groups.includes(g)),
          }),
        ),
        incidents: incidents.map(
          (i): InstanceIncident => ({
            key: i.key,
            elementId: i.element_id,
            errorType: i.error_type,
            message: all ? i.error_message : null,
            createdAt: i.creation_time.toISOString(),
          }),
        ),
      };
    },
  };
}

export type MonitorService = ReturnType<typeof createMonitorService>;
