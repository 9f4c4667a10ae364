import type { EscalationKind } from '../../domain/loop/escalation.ts';
import type { Actor } from '../actor.ts';
import { writeAudit, type Queryable } from '../audit.ts';
import { link } from './trace.ts';

/** The stage an escalation leaves an item in; an item never steps back down by an escalation. */
const stageAfter: Partial<Record<EscalationKind, string>> = {
  reminder: 'yellow',
  urge: 'red',
  yellow_card: 'yellow_card',
  red_card: 'red_card',
  interview: 'interview',
  listing: 'listing',
};

export type EscalationSubject = { itemId: string } | { noticeId: string };

/**
 * Records one escalation step (提醒, 催办, 黄牌 …) of a supervision item or a risk notice, once per
 * business key, inside the caller's transaction; moves an item's stage up. Returns false when the
 * key was already recorded (a redelivered job), so callers send nothing twice.
 */
export async function recordEscalation(
  q: Queryable,
  actor: Actor,
  subject: EscalationSubject,
  kind: EscalationKind,
  businessKey: string,
  detail: Record<string, unknown> = {},
  /** When it happened on the engine's clock (ladders compute from these times); default the database's now. */
  at?: string,
): Promise<boolean> {
  const itemId = 'itemId' in subject ? subject.itemId : null;
  const noticeId = 'noticeId' in subject ? subject.noticeId : null;
  const rows = await q.query<{ id: string }[]>(
    `INSERT INTO escalation_event (item_id, notice_id, kind, business_key, detail, at) VALUES ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()))
     ON CONFLICT (business_key) DO NOTHING RETURNING id`,
    [itemId, noticeId, kind, businessKey, JSON.stringify(detail), at ?? null],
  );
  if (!rows[0]) return false;
  const owner = itemId ? { kind: 'item' as const, id: itemId } : { kind: 'notice' as const, id: noticeId! };
  await link(q, owner, { kind: 'escalation', id: rows[0].id });
  if (itemId) {
    const stage = stageAfter[kind];
    if (stage) await q.query(`UPDATE supervision_item SET stage = $2 WHERE id = $1`, [itemId, stage]);
    if (kind === 'returned') await q.query(`UPDATE supervision_item SET returned_count = returned_count + 1, status = 'returned' WHERE id = $1`, [itemId]);
  }
  const [unit] = await q.query<{ department_id: string }[]>(
    itemId ? `SELECT lead_department_id AS department_id FROM supervision_item WHERE id = $1` : `SELECT department_id FROM risk_notice WHERE id = $1`,
    [itemId ?? noticeId],
  );
  await writeAudit(q, actor, {
    action: `${itemId ? 'supervision_item' : 'risk_notice'}.${kind}`,
    entityType: itemId ? 'supervision_item' : 'risk_notice',
    entityId: (itemId ?? noticeId)!,
    departmentId: unit?.department_id ?? null,
    after: detail,
  });
  return true;
}
