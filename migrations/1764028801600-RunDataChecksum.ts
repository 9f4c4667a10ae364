import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A checksum of the data an indicator run read (issue 19 point 9): the case rows of its period and
 * comparison periods, and the side tables, as they were when the run computed. A later check of the
 * run compares it with today's, so a corrected import is reported, not silently folded in. Runs
 * computed before keep NULL (the check says it cannot tell).
 */
export class RunDataChecksum1764028801600 implements MigrationInterface {
  name = 'RunDataChecksum1764028801600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE indicator_run ADD COLUMN data_cases integer, ADD COLUMN data_checksum text, ADD CHECK ((data_cases IS NULL) = (data_checksum IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE indicator_run DROP COLUMN data_cases, DROP COLUMN data_checksum`);
  }
}
