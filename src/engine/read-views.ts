import type { DataSource } from 'typeorm';
import { ENGINE_SCHEMA } from './local-engine.ts';

/**
 * The app reads process state from the engine's own tables (schema `operaton` of the same
 * database), through these views: the inbox, the monitor, the trace and the cockpit keep their
 * SQL (joins with the app's records, department scoping, paging) and there is no copy to keep in
 * step. Ids are numeric (the engine runs with the `simple` id generator) and cast to bigint, as
 * the app's tables store them. The engine writes local times of Asia/Shanghai (its JVM zone) into
 * `timestamp` columns; the views give them as `timestamptz`.
 *
 * They are created after the engine has created its schema (start-up and test set-up), and
 * replaced on every start, so a change here needs no migration.
 */

const at = (column: string) => `(${column} AT TIME ZONE 'Asia/Shanghai')`;

const VIEWS: Record<string, string> = {
  engine_process_instance: `
    SELECT p.id_::bigint AS key,
           p.proc_def_key_ AS bpmn_process_id,
           split_part(p.proc_def_id_, ':', 2)::int AS version,
           split_part(p.proc_def_id_, ':', 3)::bigint AS process_definition_key,
           coalesce(p.super_process_instance_id_::bigint, -1) AS parent_process_instance_key,
           p.business_key_ AS business_key,
           CASE WHEN p.state_ IN ('ACTIVE', 'SUSPENDED') THEN 'ACTIVE' WHEN p.state_ = 'COMPLETED' THEN 'COMPLETED' ELSE 'TERMINATED' END AS state,
           ${at('p.start_time_')} AS start_time,
           ${at('p.end_time_')} AS end_time
      FROM ${ENGINE_SCHEMA}.act_hi_procinst p`,
  // Activity instances: the monitor's token counts and the trace's steps (act_inst_state_ 2 = canceled).
  engine_element_instance: `
    SELECT a.id_ AS key,
           a.proc_inst_id_::bigint AS process_instance_key,
           a.proc_def_key_ AS bpmn_process_id,
           a.act_id_ AS element_id,
           upper(regexp_replace(a.act_type_, '([a-z])([A-Z])', '\\1_\\2', 'g')) AS element_type,
           a.parent_act_inst_id_ AS flow_scope_key,
           CASE WHEN a.end_time_ IS NULL THEN 'ACTIVE' WHEN a.act_inst_state_ = 2 THEN 'TERMINATED' ELSE 'COMPLETED' END AS state,
           ${at('a.start_time_')} AS start_time,
           ${at('a.end_time_')} AS end_time
      FROM ${ENGINE_SCHEMA}.act_hi_actinst a`,
  // Open tasks from the runtime tables (candidate groups indexed there), finished ones from history.
  engine_user_task: `
    SELECT t.id_::bigint AS key,
           t.proc_inst_id_::bigint AS process_instance_key,
           split_part(t.proc_def_id_, ':', 3)::bigint AS process_definition_key,
           d.key_ AS bpmn_process_id,
           t.task_def_key_ AS element_id,
           t.name_ AS name,
           coalesce((SELECT array_agg(l.group_id_ ORDER BY l.group_id_) FROM ${ENGINE_SCHEMA}.act_ru_identitylink l
                      WHERE l.task_id_ = t.id_ AND l.type_ = 'candidate' AND l.group_id_ IS NOT NULL), '{}')::text[] AS candidate_groups,
           t.assignee_ AS assignee,
           ${at('t.due_date_')} AS due_date,
           t.priority_ AS priority,
           'CREATED'::text AS state,
           ${at('t.create_time_')} AS creation_time,
           NULL::timestamptz AS end_time
      FROM ${ENGINE_SCHEMA}.act_ru_task t JOIN ${ENGINE_SCHEMA}.act_re_procdef d ON d.id_ = t.proc_def_id_
    UNION ALL
    SELECT h.id_::bigint,
           h.proc_inst_id_::bigint,
           split_part(h.proc_def_id_, ':', 3)::bigint,
           h.proc_def_key_,
           h.task_def_key_,
           h.name_,
           coalesce((SELECT array_agg(DISTINCT l.group_id_) FROM ${ENGINE_SCHEMA}.act_hi_identitylink l
                      WHERE l.task_id_ = h.id_ AND l.type_ = 'candidate' AND l.group_id_ IS NOT NULL AND l.operation_type_ = 'add'), '{}')::text[],
           h.assignee_,
           ${at('h.due_date_')},
           h.priority_,
           CASE WHEN h.delete_reason_ = 'completed' THEN 'COMPLETED' ELSE 'CANCELED' END,
           ${at('h.start_time_')},
           ${at('h.end_time_')}
      FROM ${ENGINE_SCHEMA}.act_hi_taskinst h
     WHERE h.end_time_ IS NOT NULL`,
  engine_incident: `
    SELECT i.id_::bigint AS key,
           i.proc_inst_id_::bigint AS process_instance_key,
           i.proc_def_key_ AS bpmn_process_id,
           i.activity_id_ AS element_id,
           i.configuration_ AS job_key,
           i.incident_type_ AS error_type,
           -- An incident in a called process is repeated on each calling instance; the root cause is the one to fix and retry.
           i.root_cause_incident_id_::bigint AS root_cause_key,
           i.incident_msg_ AS error_message,
           CASE WHEN i.end_time_ IS NULL THEN 'ACTIVE' ELSE 'RESOLVED' END AS state,
           ${at('i.create_time_')} AS creation_time
      FROM ${ENGINE_SCHEMA}.act_hi_incident i`,
};

export async function engineSchemaExists(db: DataSource): Promise<boolean> {
  const rows: unknown[] = await db.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'act_ru_task'`, [ENGINE_SCHEMA]);
  return rows.length > 0;
}

/** (Re)creates the views in one transaction (app and worker nodes may start together); the engine must have created its schema. */
export async function ensureEngineReadViews(db: DataSource): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('engine-read-views', 0))`);
    for (const [name, sql] of Object.entries(VIEWS)) {
      await tx.query(`DROP VIEW IF EXISTS ${name}`);
      await tx.query(`CREATE VIEW ${name} AS ${sql}`);
    }
  });
}
