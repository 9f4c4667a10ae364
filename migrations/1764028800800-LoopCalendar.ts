import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger of the loop calendar's scheduled starts: one row per round, meeting or bulletin the
 * calendar started (or found already started by hand), so a redelivered job or a restarted
 * calendar never starts the same occurrence twice.
 */
export class LoopCalendar1764028800800 implements MigrationInterface {
  name = 'LoopCalendar1764028800800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scheduled_start (
        schedule_kind text NOT NULL CHECK (schedule_kind IN ('round','meeting','bulletin')),
        business_id text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('published','already_started')),
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (schedule_kind, business_id)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scheduled_start`);
  }
}
