import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs a worker's side effect at most once per (job type, business key). The effect and its
 * ledger row commit together; a redelivered job — or a second worker racing on the same job —
 * gets the recorded result back instead of acting again (QUALITY.md §3.3 pattern 1).
 *
 * The ledger row is claimed first, in the effect's transaction: a concurrent delivery of the same
 * job waits on that row until the first commits (then finds its result) or rolls back (then acts
 * itself), so the effect body runs once, not twice with one rolled back; and a first delivery
 * — nearly every job — costs no lookup before its transaction.
 */
export async function runOnce<R>(
  db: DataSource,
  key: { jobType: string; businessKey: string; jobKey: string },
  effect: (tx: EntityManager) => Promise<R>,
): Promise<{ result: R; replayed: boolean }> {
  const outcome = await db.transaction(async (tx) => {
    const claimed: unknown[] = await tx.query(
      `INSERT INTO job_effect (job_type, business_key, job_key, result) VALUES ($1, $2, $3, 'null') ON CONFLICT DO NOTHING RETURNING 1`,
      [key.jobType, key.businessKey, key.jobKey],
    );
    if (claimed.length === 0) return { done: false as const };
    const value = await effect(tx);
    await tx.query(`UPDATE job_effect SET result = $3 WHERE job_type = $1 AND business_key = $2`, [key.jobType, key.businessKey, JSON.stringify(value ?? null)]);
    return { done: true as const, value };
  });
  if (outcome.done) return { result: outcome.value, replayed: false };
  const rows: { result: R }[] = await db.query(`SELECT result FROM job_effect WHERE job_type = $1 AND business_key = $2`, [key.jobType, key.businessKey]);
  return { result: rows[0]!.result, replayed: true };
}
