import type { ItemSnapshot } from '../../domain/loop/escalation.ts';
import type { Queryable } from '../audit.ts';

/**
 * Every supervision item with its escalation history, as the pure ladder, agenda and bulletin
 * rules read them. One query for the items, one for the events: a county has hundreds of items.
 */
export interface ItemFacts extends ItemSnapshot {
  itemId: string;
  itemKey: string;
  itemNumber: string;
  title: string;
  leadDepartmentId: string;
  coDepartmentIds: string[];
  registeredAt: string;
  status: string;
  stage: string;
}

export async function itemSnapshots(q: Queryable): Promise<ItemFacts[]> {
  const items = await q.query<
    {
      id: string;
      business_key: string;
      number: string | null;
      title: string;
      lead_department_id: string;
      co_department_ids: string[];
      deadline: Date;
      submitted_at: Date | null;
      closed_at: Date | null;
      registered_at: Date;
      status: string;
      stage: string;
    }[]
  >(`SELECT id, business_key, number, title, lead_department_id, co_department_ids, deadline, submitted_at, closed_at, registered_at, status, stage FROM supervision_item ORDER BY registered_at, id`);
  const events = await q.query<{ item_id: string; kind: ItemSnapshot['history'][number]['kind']; at: Date }[]>(
    `SELECT item_id, kind, at FROM escalation_event WHERE item_id IS NOT NULL ORDER BY at`,
  );
  const byItem = new Map<string, ItemSnapshot['history'][number][]>();
  for (const e of events) byItem.set(e.item_id, [...(byItem.get(e.item_id) ?? []), { kind: e.kind, at: e.at.toISOString() }]);
  return items.map((i) => ({
    itemId: i.id,
    itemKey: i.business_key,
    itemNumber: i.number ?? '（未编号）',
    title: i.title,
    leadDepartmentId: i.lead_department_id,
    coDepartmentIds: i.co_department_ids,
    deadline: i.deadline.toISOString(),
    submittedAt: i.submitted_at?.toISOString() ?? null,
    closedAt: i.closed_at?.toISOString() ?? null,
    registeredAt: i.registered_at.toISOString(),
    status: i.status,
    stage: i.stage,
    history: byItem.get(i.id) ?? [],
  }));
}
