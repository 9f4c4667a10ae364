import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs a worker's side effect at most once per (job type, business key). The effect and its
 * ledger row commit together; a redelivered job — or a second worker racing on the same job —
 * gets the recorded result back instead of acting again (QUALITY.md §3.3 pattern 1).
 */
export async function runOnce<R>(
  db: DataSource,
  key: { jobType: string; businessKey: string; jobKey: string },
  effect: (tx: EntityManager) => Promise<R>,
): Promise<{ result: R; replayed: boolean }> {
  const recorded = async (): Promise<R | undefined> => {
    const rows: { result: R }[] = await db.query(`SELECT result FROM job_effect WHERE job_type = $1 AND business_key = $2`, [
      key.jobType,
      key.businessKey,
    ]);
    return rows[0]?.result;
  };
  const before = await recorded();
  if (before !== undefined) return { result: before, replayed: true };
  try {
    const result = await db.transaction(async (tx) => {
      const value = await effect(tx);
      await tx.query(`INSERT INTO job_effect (job_type, business_key, job_key, result) VALUES ($1, $2, $3, $4)`, [
        key.jobType,
        key.businessKey,
        key.jobKey,
        JSON.stringify(value ?? null),
      ]);
      return value;
    });
    return { result, replayed: false };
  } catch (error) {
    // Lost a race with a concurrent delivery of the same effect: its committed result wins.
    if ((error as { code?: string }).code === '23505') {
      const winner = await recorded();
      if (winner !== undefined) return { result: winner, replayed: true };
    }
    throw error;
  }
}
