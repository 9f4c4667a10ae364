import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which of a user's passwords the engine has (issue 18: one account for the app and Tasklist). The
 * app keeps only argon2 hashes, so the engine can be given a password only at a moment the app sees
 * it in clear — when it is set, or at a login. This column holds the app's hash of the password the
 * engine last received; a login whose hash differs (the engine was down when it was set, or the
 * engine user was recreated) hands the password over again. Never a password, never the engine's hash.
 * `engine_operation_audited` lists the engine operations (tasks completed in Tasklist) already
 * written to the audit log (src/services/engine-task-audit.ts).
 */
export class EngineIdentity1764028801300 implements MigrationInterface {
  name = 'EngineIdentity1764028801300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN engine_password_of text`);
    // Tasks completed in the engine's Tasklist reach the audit log once: the engine operations already taken.
    await q.query(`CREATE TABLE engine_operation_audited (operation_id text PRIMARY KEY, audited_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE engine_operation_audited`);
    await q.query(`ALTER TABLE app_user DROP COLUMN engine_password_of`);
  }
}
