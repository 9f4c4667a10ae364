import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isCauseName, seedCauseEntries } from '../src/domain/cases/cause-catalogue.ts';

/**
 * The controlled list of 案由 (issue 17 rule 5): a case row's cause must be in it, and of the case
 * type's kind. The court's data team imports its full catalogue as a side table (import_file kind
 * cause_catalogue); the table starts with the seed of src/domain/cases/cause-catalogue.ts — the
 * causes the indicator catalogue counts and those common in a county court — and with the causes
 * already stored, so no case row imported before stands outside the list.
 */
export class CauseCatalogue1764028802500 implements MigrationInterface {
  name = 'CauseCatalogue1764028802500';

  async up(q: QueryRunner): Promise<void> {
    const kinds = `('case_record','township_population','township_signal','cause_catalogue')`;
    await q.query(`
      ALTER TABLE import_file DROP CONSTRAINT import_file_kind_check, ADD CONSTRAINT import_file_kind_check CHECK (kind IN ${kinds});
      ALTER TABLE import_refusal DROP CONSTRAINT import_refusal_kind_check, ADD CONSTRAINT import_refusal_kind_check CHECK (kind IN ${kinds});
      CREATE TABLE cause_catalogue (
        cause text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('民事','刑事','行政','其他')),
        import_file_id uuid REFERENCES import_file(id)
      );
    `);
    const seed = seedCauseEntries();
    await q.query(`INSERT INTO cause_catalogue (cause, kind) SELECT * FROM unnest($1::text[], $2::text[])`, [seed.map(([c]) => c), seed.map(([, k]) => k)]);
    // Causes already stored keep their cases valid — a criminal case's cause is a 罪名, an administrative one's an act,
    // the rest civil — unless they do not read as a cause (a masked name left in free text stays outside the list).
    const stored: { cause: string; kind: string }[] = await q.query(
      `SELECT DISTINCT ON (cause) cause, CASE case_type WHEN '刑事' THEN '刑事' WHEN '行政' THEN '行政' ELSE '民事' END AS kind
       FROM case_record ORDER BY cause, case_type`,
    );
    const kept = stored.filter((s) => isCauseName(s.cause));
    await q.query(`INSERT INTO cause_catalogue (cause, kind) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (cause) DO NOTHING`, [
      kept.map((s) => s.cause),
      kept.map((s) => s.kind),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    // import_file rows are permanent: the catalogue files imported stay on record, so their kind stays allowed.
    await q.query(`DROP TABLE cause_catalogue`);
  }
}
