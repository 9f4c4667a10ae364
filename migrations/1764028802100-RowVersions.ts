import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A past round stays reproducible (issue 19 point 9): when an import replaces a case row or a side
 * table's row, the replaced version is kept with the file that replaced it, and each run records
 * the import files it saw. Recomputing a run reads the rows as they stood after exactly those
 * files (src/domain/indicators/data-sources.ts). Runs stored before this migration have no such
 * record (data_files NULL): they are checked against today's data, as before.
 */
export class RowVersions1764028802100 implements MigrationInterface {
  name = 'RowVersions1764028802100';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['case_record', 'township_signal', 'township_population']) {
      // LIKE copies the columns in their order (a generated one as a plain column), not the keys: a case has many versions.
      await q.query(`CREATE TABLE ${table}_version (LIKE ${table})`);
      await q.query(`ALTER TABLE ${table}_version ADD COLUMN replaced_by_file uuid NOT NULL, ADD COLUMN replaced_at timestamptz NOT NULL DEFAULT now()`);
      await q.query(`CREATE INDEX ${table}_version_file ON ${table}_version (import_file_id)`);
    }
    await q.query(`ALTER TABLE indicator_run ADD COLUMN data_files uuid[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE indicator_run DROP COLUMN data_files`);
    for (const table of ['case_record', 'township_signal', 'township_population']) await q.query(`DROP TABLE ${table}_version`);
  }
}
