import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Risk levels re-assessed by a joint meeting (第十条(二), issue 19 point 6): the level the meeting
 * set for an indicator and region of the round it discussed, with the meeting and its analysis.
 * It overrides the computed level wherever the round's levels are read (cockpit, trace, reports,
 * evaluation); the computed level stays in indicator_value, untouched.
 */
export class LevelReassessment1764028801700 implements MigrationInterface {
  name = 'LevelReassessment1764028801700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE level_reassessment (
        run_id uuid NOT NULL REFERENCES indicator_run(id),
        indicator_id text NOT NULL,
        region text NOT NULL,
        computed_level text NOT NULL CHECK (computed_level IN ('low','medium','high','critical')),
        reassessed_level text NOT NULL CHECK (reassessed_level IN ('low','medium','high','critical')),
        meeting_id text NOT NULL REFERENCES joint_meeting(id),
        analysis text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (run_id, indicator_id, region)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE level_reassessment`);
  }
}
