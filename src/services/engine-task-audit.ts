import type { DataSource } from 'typeorm';
import { SERVICE_ACCOUNT } from '../engine/client.ts';
import { ENGINE_SCHEMA } from '../engine/local-engine.ts';
import type { Logger } from '../shared/logger.ts';
import { writeAudit } from './audit.ts';

interface Completion {
  operation_id: string;
  user_id: string;
  task_id: string;
  element_id: string | null;
  process_id: string | null;
  completed_at: Date;
}

/**
 * A task completed in the engine's own Tasklist leaves the same audit row as one completed in our
 * inbox (`task.complete`, the user as actor, its unit), marked `via: 'tasklist'`: taken from the
 * engine's user operation log (history level full records every operation of an authenticated
 * user), each operation once. The app's own completions run as the service account and are
 * audited by the inbox itself, so they are left out here.
 */
export function createEngineTaskAudit(deps: { db: DataSource; log: Logger }) {
  const { db, log } = deps;

  const self = {
    /** Audits the completions not audited yet; how many. */
    async auditNew(): Promise<number> {
      const completions = await db.query<Completion[]>(
        `SELECT DISTINCT ON (o.operation_id_) o.operation_id_ AS operation_id, o.user_id_ AS user_id, o.task_id_ AS task_id,
                t.task_def_key_ AS element_id, o.proc_def_key_ AS process_id, o.timestamp_ AS completed_at
         FROM ${ENGINE_SCHEMA}.act_hi_op_log o LEFT JOIN ${ENGINE_SCHEMA}.act_hi_taskinst t ON t.id_ = o.task_id_
         WHERE o.operation_type_ = 'Complete' AND o.entity_type_ = 'Task' AND o.user_id_ IS NOT NULL AND o.user_id_ <> $1
           AND NOT EXISTS (SELECT 1 FROM engine_operation_audited a WHERE a.operation_id = o.operation_id_)
         ORDER BY o.operation_id_, o.timestamp_
         LIMIT 500`,
        [SERVICE_ACCOUNT],
      );
      let audited = 0;
      for (const c of completions) {
        await db.transaction(async (tx) => {
          const taken = await tx.query<unknown[]>(`INSERT INTO engine_operation_audited (operation_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1`, [c.operation_id]);
          if (taken.length === 0) return; // another API node audited it first
          const [user] = await tx.query<{ id: string; display_name: string; department_id: string | null; roles: string[] }[]>(
            `SELECT id, display_name, department_id, roles FROM app_user WHERE username = $1`,
            [c.user_id],
          );
          const actor = { id: user?.id ?? null, username: c.user_id, displayName: user?.display_name ?? c.user_id, departmentId: user?.department_id ?? null, roles: [] };
          await writeAudit(tx, actor, {
            action: 'task.complete',
            entityType: 'user_task',
            entityId: c.task_id,
            departmentId: actor.departmentId,
            after: { element: c.element_id, process: c.process_id, via: 'tasklist', completedAt: c.completed_at.toISOString() },
          });
          audited++;
        });
      }
      if (audited > 0) log.info({ audited }, 'Tasklist completions audited');
      return audited;
    },

    /** Audits now and then every `intervalMs`; the returned function stops it. */
    start(intervalMs = 30_000): () => Promise<void> {
      let running: Promise<unknown> = Promise.resolve();
      const tick = () => {
        running = self.auditNew().catch((error: unknown) => log.warn({ err: error }, 'auditing Tasklist completions failed; tried again soon'));
      };
      tick();
      const timer = setInterval(tick, intervalMs);
      return async () => {
        clearInterval(timer);
        await running;
      };
    },
  };
  return self;
}

export type EngineTaskAudit = ReturnType<typeof createEngineTaskAudit>;
