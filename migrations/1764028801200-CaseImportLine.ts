import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case row keeps the line of the file that last wrote it beside that file (import_file_id): a
 * refused file names every line of a repeated 案号 (issue 17), including the line that went
 * straight into case_record as new, and a clerk finds a stored case in the export it came from.
 * Nullable: generated demo data and rows imported before have no line.
 */
export class CaseImportLine1764028801200 implements MigrationInterface {
  name = 'CaseImportLine1764028801200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_record ADD COLUMN import_line integer`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_record DROP COLUMN import_line`);
  }
}
