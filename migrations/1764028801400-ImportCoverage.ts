import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the imported case data covers, and what was refused (issue 17 rules 10 and 13): each
 * case-data import keeps the first and last 立案日期 among its rows and its rows per township, so
 * the system tells "no case was filed" from "no data was imported" per month and township; and a
 * refused upload leaves a record (who, when, which file, what was wrong — the same masked messages
 * the uploader saw, never a cell's personal data) for the 数据导入 screen and the report's data section.
 *
 * Files imported before keep what their rows still show: the range and townships of the rows
 * they last wrote.
 */
export class ImportCoverage1764028801400 implements MigrationInterface {
  name = 'ImportCoverage1764028801400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE import_file ADD COLUMN first_filing_date date, ADD COLUMN last_filing_date date,
        ADD CHECK (first_filing_date IS NULL OR first_filing_date <= last_filing_date);

      CREATE TABLE import_file_township (
        import_file_id uuid NOT NULL REFERENCES import_file(id) ON DELETE CASCADE,
        township text NOT NULL,
        row_count integer NOT NULL CHECK (row_count > 0),
        PRIMARY KEY (import_file_id, township)
      );

      CREATE TABLE import_refusal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('case_record','township_population','township_signal')),
        file_name text NOT NULL,
        problem_count integer NOT NULL CHECK (problem_count > 0),
        problems jsonb NOT NULL,
        refused_by uuid REFERENCES app_user(id),
        refused_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX import_refusal_refused_at ON import_refusal (refused_at);

      UPDATE import_file f SET first_filing_date = r.first, last_filing_date = r.last
      FROM (SELECT import_file_id, min(filing_date) AS first, max(filing_date) AS last FROM case_record GROUP BY import_file_id) r
      WHERE r.import_file_id = f.id;
      INSERT INTO import_file_township (import_file_id, township, row_count)
      SELECT import_file_id, township, count(*) FROM case_record GROUP BY import_file_id, township;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_refusal; DROP TABLE import_file_township; ALTER TABLE import_file DROP COLUMN first_filing_date, DROP COLUMN last_filing_date;`);
  }
}
