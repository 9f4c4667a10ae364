import type { DataSource } from 'typeorm';
import type { StartLock } from '../engine/client.ts';

/**
 * The engine does not enforce unique business keys, so a process that must not start twice
 * (a round for a period, an item for a measure) is started under a transaction-scoped advisory
 * lock on its key: every app and worker node shares the database, so concurrent starts of the
 * same key run one after the other and the second sees the first instance running.
 */
export function databaseStartLock(db: DataSource): StartLock {
  return (key, work) =>
    db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`process-start:${key}`]);
      return work();
    });
}
