import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A second factor for the roles that need one (ASVS 6.3.3, issue 20): each user's TOTP secret, sealed
 * with a key derived from the personal-data key (never in clear in the database or a backup's dump),
 * when it was confirmed, and the last time step accepted, so no code is accepted twice.
 */
export class UserTotp1764028802300 implements MigrationInterface {
  name = 'UserTotp1764028802300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_totp (
        user_id uuid PRIMARY KEY REFERENCES app_user(id) ON DELETE CASCADE,
        sealed_secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        enabled_at timestamptz,
        last_step bigint
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE user_totp`);
  }
}
