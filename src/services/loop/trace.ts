import type { Queryable } from '../audit.ts';

/**
 * The chain no peer keeps: indicator → notice → opinion → measure → supervision item →
 * escalation → the next round's value of the same indicator. Links are written by the use case
 * that creates the later record, in its transaction; re-writing one is a no-op.
 */
export type TraceKind = 'indicator' | 'notice' | 'opinion' | 'measure' | 'item' | 'escalation' | 'meeting' | 'decision' | 'outcome';

export interface TraceNode {
  kind: TraceKind;
  id: string;
}

export async function link(q: Queryable, from: TraceNode, to: TraceNode): Promise<void> {
  await q.query(
    `INSERT INTO trace_link (from_kind, from_id, to_kind, to_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [from.kind, from.id, to.kind, to.id],
  );
}

/** Everything reachable downstream of a node (breadth first, cycles impossible by construction). */
export async function downstream(q: Queryable, start: TraceNode): Promise<{ from: TraceNode; to: TraceNode }[]> {
  const rows: { from_kind: TraceKind; from_id: string; to_kind: TraceKind; to_id: string }[] = await q.query(
    `WITH RECURSIVE chain AS (
       SELECT from_kind, from_id, to_kind, to_id FROM trace_link WHERE from_kind = $1 AND from_id = $2
       UNION
       SELECT t.from_kind, t.from_id, t.to_kind, t.to_id FROM trace_link t JOIN chain c ON t.from_kind = c.to_kind AND t.from_id = c.to_id
     ) SELECT * FROM chain`,
    [start.kind, start.id],
  );
  return rows.map((r) => ({ from: { kind: r.from_kind, id: r.from_id }, to: { kind: r.to_kind, id: r.to_id } }));
}

export interface TraceLink {
  from: TraceNode;
  to: TraceNode;
}

/**
 * The chain through one record: everything upstream (what it came from) and downstream (what
 * came of it), so a measure shows its indicator and its escalations alike. Siblings are not on
 * it: another department's notice on the same indicator is a different chain.
 */
export async function chainOf(q: Queryable, start: TraceNode): Promise<TraceLink[]> {
  const rows: { from_kind: TraceKind; from_id: string; to_kind: TraceKind; to_id: string }[] = await q.query(
    `WITH RECURSIVE up AS (
       SELECT from_kind, from_id, to_kind, to_id FROM trace_link WHERE to_kind = $1 AND to_id = $2
       UNION
       SELECT t.from_kind, t.from_id, t.to_kind, t.to_id FROM trace_link t JOIN up u ON t.to_kind = u.from_kind AND t.to_id = u.from_id
     ), down AS (
       SELECT from_kind, from_id, to_kind, to_id FROM trace_link WHERE from_kind = $1 AND from_id = $2
       UNION
       SELECT t.from_kind, t.from_id, t.to_kind, t.to_id FROM trace_link t JOIN down d ON t.from_kind = d.to_kind AND t.from_id = d.to_id
     ) SELECT * FROM up UNION SELECT * FROM down`,
    [start.kind, start.id],
  );
  return rows.map((r) => ({ from: { kind: r.from_kind, id: r.from_id }, to: { kind: r.to_kind, id: r.to_id } }));
}
