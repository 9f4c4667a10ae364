import type { DataSource } from 'typeorm';
import { groupName } from '../domain/identity/engine-identity.ts';
import { dueLight } from '../domain/loop/escalation.ts';
import type { EngineGateway } from '../engine/client.ts';
import type { ProcessCatalog } from '../engine/catalog.ts';
import { formContracts, PROCESS_IDS, type FormId } from '../engine/contract.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../shared/errors.ts';
import type { Clock } from '../shared/time.ts';
import { waitFor } from '../shared/wait-for.ts';
import { parseOrThrow } from '../shared/zod-problems.ts';
import { groupsOf, readsEverything, type Actor } from './actor.ts';
import { writeAudit, type Queryable } from './audit.ts';
import { unitNames } from './display-names.ts';
import { leadUnitItem, type LeadUnitItem } from './loop/item-progress.ts';
import { taskSubjects, type TaskSubject } from './task-subjects.ts';

export interface TaskView {
  key: string;
  processInstanceKey: string;
  processId: string;
  processName: string;
  elementId: string;
  name: string;
  /** Units and roles that may work the task, with the names people read. */
  candidateGroups: { id: string; name: string }[];
  /** The notice, item, round or meeting the task is about, when its process carries one. */
  subject: TaskSubject | null;
  assignee: string | null;
  dueDate: string | null;
  priority: number;
  state: string;
  createdAt: string;
  formId: string | null;
  /** green / yellow (≤ 3 days left) / red (overdue), as 督查督办 systems light them (DOMAIN.md §4.6). */
  light: 'green' | 'yellow' | 'red' | null;
}

interface TaskRow {
  key: string;
  process_instance_key: string;
  bpmn_process_id: string;
  element_id: string;
  candidate_groups: string[];
  assignee: string | null;
  due_date: Date | null;
  priority: number;
  state: string;
  creation_time: Date;
}


/**
 * A form's submission is checked against the contract of its Camunda Form before the engine
 * hears of it: a bad value reaches the user as a Chinese field error, never the process as an
 * incident, and no field outside the form can be smuggled into the process.
 */
function validFormVariables(formId: string | undefined, variables: Record<string, unknown>): Record<string, unknown> {
  const contract = formId ? formContracts[formId as FormId] : undefined;
  return contract ? parseOrThrow(contract.output.strict(), variables, '') : variables;
}

/**
 * The newest open task of an element in one process instance, once the engine has created it
 * (the dry run and the tests act as people through it).
 */
export function waitForOpenTask(q: Queryable, processInstanceKey: string, elementId: string, timeoutMs = 90_000): Promise<string> {
  return waitFor(
    async () =>
      (
        await q.query<{ key: string }[]>(
          `SELECT key FROM engine_user_task WHERE process_instance_key = $1 AND element_id = $2 AND state = 'CREATED' ORDER BY key DESC`,
          [processInstanceKey, elementId],
        )
      )[0]?.key,
    `open task ${elementId} of ${processInstanceKey}`,
    timeoutMs,
  );
}

export function createInboxService(deps: { db: DataSource; engine: EngineGateway; catalog: ProcessCatalog; clock: Clock }) {
  const { db, engine, catalog, clock } = deps;

  const view = (r: TaskRow, units: ReadonlyMap<string, string>, subject: TaskSubject | null): TaskView => {
    const element = catalog.element(r.bpmn_process_id, r.element_id);
    return {
      key: r.key,
      processInstanceKey: r.process_instance_key,
      processId: r.bpmn_process_id,
      processName: catalog.processName(r.bpmn_process_id) ?? r.bpmn_process_id,
      elementId: r.element_id,
      name: element?.name ?? r.element_id,
      candidateGroups: r.candidate_groups.map((id) => ({ id, name: groupName(id, units) })),
      subject,
      assignee: r.assignee,
      dueDate: r.due_date?.toISOString() ?? null,
      priority: r.priority,
      state: r.state,
      createdAt: r.creation_time.toISOString(),
      formId: element?.formId ?? null,
      light: r.state === 'CREATED' ? dueLight(r.due_date, clock.now()) : null,
    };
  };

  const views = async (rows: TaskRow[]): Promise<TaskView[]> => {
    const units = await unitNames(db);
    const subjects = await taskSubjects(db, rows.map((r) => r.process_instance_key), units);
    return rows.map((r) => view(r, units, subjects.get(r.process_instance_key) ?? null));
  };

  /** The task if the actor may see it; a foreign task answers "not found", never "forbidden". */
  const visibleTask = async (actor: Actor, key: string): Promise<TaskRow> => {
    const rows: TaskRow[] = await db.query(`SELECT * FROM engine_user_task WHERE key = $1`, [key]);
    const row = rows[0];
    if (!row || !(readsEverything(actor) || row.candidate_groups.some((g) => groupsOf(actor).includes(g)))) {
      throw new NotFoundError('待办事项不存在');
    }
    return row;
  };

  /**
   * The variables a task's form shows (option lists, the facts in its text): those in scope at the
   * task, as the engine resolves them, and only those the form names, so nothing else of the
   * process reaches the browser.
   */
  const formVariables = async (task: TaskRow, formText: string): Promise<Record<string, unknown>> => {
    const all = await engine.taskVariables(task.key);
    return Object.fromEntries(Object.entries(all).filter(([name]) => formText.includes(name)));
  };

  /** Only a candidate may act on a task: admins and auditors read, they do not complete others' work. */
  const actionableTask = async (actor: Actor, key: string): Promise<TaskRow> => {
    const row = await visibleTask(actor, key);
    if (!row.candidate_groups.some((g) => groupsOf(actor).includes(g))) throw new ForbiddenError('您不是该待办的办理人');
    if (row.state !== 'CREATED') throw new ConflictError('该待办已办结');
    return row;
  };

  return {
    taskName: (processId: string, elementId: string) => catalog.element(processId, elementId)?.name ?? elementId,
    processName: (processId: string) => catalog.processName(processId) ?? processId,

    async list(actor: Actor, filter: { processId?: string; light?: 'red' | 'yellow' | 'green'; limit: number; offset: number }): Promise<{ items: TaskView[]; total: number }> {
      const all = readsEverything(actor);
      const params: unknown[] = [all, groupsOf(actor), filter.processId ?? null, filter.limit, filter.offset, filter.light ?? null, clock.now()];
      // The light as dueLight() (src/domain/loop/escalation.ts) computes it, in SQL for the filter.
      const light = `CASE WHEN due_date IS NULL THEN NULL WHEN due_date < $7 THEN 'red' WHEN due_date <= $7 + interval '3 days' THEN 'yellow' ELSE 'green' END`;
      const where = `state = 'CREATED' AND ($1 OR candidate_groups && $2::text[]) AND ($3::text IS NULL OR bpmn_process_id = $3) AND ($6::text IS NULL OR ${light} = $6)`;
      const rows: (TaskRow & { total: string })[] = await db.query(
        `SELECT *, count(*) OVER () AS total FROM engine_user_task WHERE ${where}
         ORDER BY due_date ASC NULLS LAST, priority DESC, key ASC LIMIT $4 OFFSET $5`,
        params,
      );
      return { items: await views(rows), total: Number(rows[0]?.total ?? 0) };
    },

    async count(actor: Actor): Promise<number> {
      const [row]: { n: string }[] = await db.query(
        `SELECT count(*) AS n FROM engine_user_task WHERE state = 'CREATED' AND ($1 OR candidate_groups && $2::text[])`,
        [readsEverything(actor), groupsOf(actor)],
      );
      return Number(row?.n ?? 0);
    },

    /** The task as the list shows it, if the actor may see it (else "not found"): no form, no variables. */
    visible: async (actor: Actor, key: string): Promise<TaskView> => (await views([await visibleTask(actor, key)]))[0]!,

    /**
     * The task with its form and the variables it names; on an open task of a supervision item the
     * item's lead unit also gets the item (deadline, 重大, progress reports) to report progress
     * and ask for more time from the task's page (第十三条); everyone else gets `item: null`.
     */
    async get(actor: Actor, key: string): Promise<TaskView & { form: Record<string, unknown> | null; variables: Record<string, unknown>; item: LeadUnitItem | null }> {
      const row = await visibleTask(actor, key);
      const v = (await views([row]))[0]!;
      const form = v.formId ? (catalog.form(v.formId) ?? null) : null;
      const item =
        row.bpmn_process_id === PROCESS_IDS.supervisionItem
          ? await leadUnitItem(db, actor, { processInstanceKey: row.process_instance_key, candidateGroups: row.candidate_groups, state: row.state }, clock.now())
          : null;
      return { ...v, form, variables: form ? await formVariables(row, JSON.stringify(form)) : {}, item };
    },

    async claim(actor: Actor, key: string): Promise<void> {
      const row = await actionableTask(actor, key);
      if (row.assignee && row.assignee !== actor.username) throw new ConflictError(`该待办已由 ${row.assignee} 认领`);
      await engine.assignUserTask(key, actor.username);
      await writeAudit(db, actor, { action: 'task.claim', entityType: 'user_task', entityId: key, before: { assignee: row.assignee }, after: { assignee: actor.username } });
    },

    async unclaim(actor: Actor, key: string): Promise<void> {
      const row = await actionableTask(actor, key);
      await engine.unassignUserTask(key);
      await writeAudit(db, actor, { action: 'task.unclaim', entityType: 'user_task', entityId: key, before: { assignee: row.assignee }, after: { assignee: null } });
    },

    async complete(actor: Actor, key: string, variables: Record<string, unknown>): Promise<void> {
      const row = await actionableTask(actor, key);
      if (row.assignee && row.assignee !== actor.username) throw new ConflictError(`该待办已由 ${row.assignee} 认领`);
      const element = catalog.element(row.bpmn_process_id, row.element_id);
      const submitted = validFormVariables(element?.formId, variables);
      await engine.completeUserTask(key, submitted, { local: (element?.outputs.length ?? 0) > 0 });
      await writeAudit(db, actor, {
        action: 'task.complete',
        entityType: 'user_task',
        entityId: key,
        departmentId: actor.departmentId,
        after: { element: row.element_id, process: row.bpmn_process_id, variables },
      });
    },
  };
}

export type InboxService = ReturnType<typeof createInboxService>;
