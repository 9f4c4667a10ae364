import { expect } from 'vitest';
import type { Role } from '../../src/services/actor.ts';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import { eventually } from './engine.ts';
import { ApiClient } from './http-client.ts';
import type { TestSystem } from './system.ts';
import { signedInUser } from './users.ts';

/**
 * What process tests do as people: log in as a role of a unit (one session each, reused), find a
 * user task once the engine created it, and complete it through our HTTP inbox like the web app.
 */
export function workflowActors(system: () => TestSystem) {
  const clients = new Map<string, ApiClient>();
  const db = () => system().services.db;

  return {
    async as(role: Role, departmentId: string | null): Promise<ApiClient> {
      const key = `${role}:${departmentId}`;
      if (!clients.has(key)) {
        clients.set(key, (await signedInUser(system(), [role], departmentId)).client);
      }
      return clients.get(key)!;
    },

    /** The newest open task of an element in one process instance. */
    openTask: (processInstanceKey: string, elementId: string) => waitForOpenTask(db(), processInstanceKey, elementId),

    /** The newest open task of an element in any instance of a process, created after `afterKey`. */
    openTaskOf: (processId: string, elementId: string, afterKey = '0') =>
      eventually(async () => {
        const rows = await db().query<{ key: string; process_instance_key: string }[]>(
          `SELECT t.key, t.process_instance_key FROM engine_user_task t JOIN engine_process_instance p ON p.key = t.process_instance_key
           WHERE p.bpmn_process_id = $1 AND t.element_id = $2 AND t.state = 'CREATED' AND t.key > $3 ORDER BY t.key DESC`,
          [processId, elementId, afterKey],
        );
        return rows[0];
      }, `open task ${elementId} of ${processId}`, 90_000),

    async complete(client: ApiClient, taskKey: string, variables: Record<string, unknown>): Promise<void> {
      const res = await client.request('POST', `/api/tasks/${taskKey}/complete`, { variables });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    },
  };
}
