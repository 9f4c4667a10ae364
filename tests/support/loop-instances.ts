import path from 'node:path';
import { systemActor } from '../../src/services/actor.ts';
import type { WorkerHost } from '../../src/engine/worker-host.ts';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import { workerDefinitions } from '../../workers/registry.ts';
import { uniqueSuffix } from './database.ts';
import { eventually } from './engine.ts';
import type { TestSystem } from './system.ts';

/**
 * Real instances of the loop's diagrams (bpmn/) for screens and services that read them: the
 * diagrams deployed as at start-up, and the workers of a diagram's first steps only, so an
 * instance stops where the test needs it and no escalation or mail of later steps happens.
 */
export async function deployLoopDiagrams(system: TestSystem, processIds: string[]): Promise<void> {
  await system.engine.deployProcesses(path.resolve('bpmn'), processIds);
}

/** The workers of a job type list, as registered for production. */
export function startWorkersOf(system: TestSystem, types: readonly string[]): WorkerHost {
  const definitions = workerDefinitions.filter((w) => types.includes(w.type));
  if (definitions.length !== types.length) throw new Error(`no worker for some of ${types.join(', ')}`);
  return system.startWorkers(definitions);
}

/** supervision-item up to 签收: settings loaded, the item opened and numbered, its notice issued, its ladder dated. */
export const ITEM_OPENING_TYPES = ['load-loop-settings', 'open-supervision-item', 'issue-supervision-notice', 'compute-escalation-dates'] as const;

/**
 * Starts the supervision-item process of a registered item as the app does (the start message
 * keyed by the item's business key) and waits until the lead unit's 签收 task is open inside
 * `handling`; needs the ITEM_OPENING_TYPES workers running. Returns the instance key.
 */
export async function openItemProcess(system: TestSystem, item: { id: string; businessKey: string }): Promise<string> {
  await system.engine.publishMessage({
    name: 'start-supervision-item',
    correlationKey: item.businessKey,
    messageId: item.businessKey,
    variables: { itemKey: item.businessKey, itemId: item.id },
  });
  const instance = await eventually(async () => {
    const rows = await system.services.db.query<{ process_instance_key: string | null }[]>(`SELECT process_instance_key FROM supervision_item WHERE id = $1`, [item.id]);
    return rows[0]?.process_instance_key;
  }, `the supervision item ${item.businessKey} to be opened`, 60_000);
  await waitForOpenTask(system.services.db, instance, 'sign', 60_000);
  return instance;
}

/**
 * An item of `unit` registered as a meeting's decision would be (deadline 30 days away unless
 * given) and opened up to its 签收 inside `handling`; needs the ITEM_OPENING_TYPES workers.
 */
export async function openedItem(system: TestSystem, o: { unit: string; title: string; deadline?: Date }): Promise<{ id: string; instance: string; title: string }> {
  const tag = uniqueSuffix();
  const businessKey = `test-item:${tag}`;
  const item = await system.services.supervision.register(systemActor, {
    businessKey,
    title: o.title,
    sourceKind: 'meeting',
    sourceId: `M-${tag}`,
    leadDepartmentId: o.unit,
    coDepartmentIds: [],
    requirements: `${o.title}，按期报送办理结果。`,
    deadline: (o.deadline ?? new Date(Date.now() + 30 * 86_400_000)).toISOString(),
  });
  return { id: item.id, instance: await openItemProcess(system, { id: item.id, businessKey }), title: o.title };
}
