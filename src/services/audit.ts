import type { Actor } from './actor.ts';

/** Anything that runs SQL: a DataSource, an EntityManager or a QueryRunner inside a transaction. */
export interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  departmentId?: string | null;
  before?: unknown;
  after?: unknown;
  sha256?: string;
}

/** Appends one audit row; call it inside the transaction of the change it records. */
export async function writeAudit(q: Queryable, actor: Actor, entry: AuditEntry): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (actor_id, actor_name, action, entity_type, entity_id, department_id, before, after, sha256)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      actor.id,
      actor.username,
      entry.action,
      entry.entityType,
      entry.entityId ?? null,
      entry.departmentId ?? null,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
      entry.sha256 ?? null,
    ],
  );
}
