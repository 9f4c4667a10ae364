import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A run keeps its case figures (per township, each aggregate in each of its four periods) so a later
 * round reuses the history periods it shares with it instead of scanning them again: the stored
 * figures plus the rows changed since (src/domain/indicators/data-sources.ts changesSince) are
 * today's. BRIN indexes on when a row and a kept version were written find those changes without
 * reading the table (they cost an import next to nothing: a summary per 128 pages).
 * `figures_schema` is the latest migration when the figures were stored: a later migration may
 * rewrite case rows without an import, so figures stored before it are not reused.
 */
export class RunFigures1764028802600 implements MigrationInterface {
  name = 'RunFigures1764028802600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE indicator_run_figure (
        run_id uuid NOT NULL REFERENCES indicator_run(id) ON DELETE CASCADE,
        -- sha256 of the figure's key (compile.ts ScanFigure): keys of long filter lists outgrow a btree entry
        figure_key text NOT NULL,
        figure text NOT NULL,
        township_values jsonb NOT NULL,
        PRIMARY KEY (run_id, figure_key)
      );
      ALTER TABLE indicator_run ADD COLUMN figures_schema bigint;
      CREATE INDEX case_record_updated_brin ON case_record USING brin (updated_at);
      CREATE INDEX case_record_version_replaced_brin ON case_record_version USING brin (replaced_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX case_record_version_replaced_brin;
      DROP INDEX case_record_updated_brin;
      ALTER TABLE indicator_run DROP COLUMN figures_schema;
      DROP TABLE indicator_run_figure;
    `);
  }
}
