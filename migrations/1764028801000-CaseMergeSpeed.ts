import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case row's hash becomes a stored generated column, computed by PostgreSQL from the typed
 * values with the per-type hash functions that hash partitioning relies on (stable across
 * versions), 64 bits: no text rendering of 30 columns per row, and one definition for every writer.
 * The staging table of an import inherits it, so the hash is taken while COPY streams in.
 *
 * case_record.import_file_id loses its foreign key: PostgreSQL checks it with one query per
 * inserted row, half of a large import's merge. Provenance stays whole because import_file rows
 * are written in the importing transaction before any case row names them and can no longer be
 * deleted or truncated.
 */
export class CaseMergeSpeed1764028801000 implements MigrationInterface {
  name = 'CaseMergeSpeed1764028801000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE case_record DROP COLUMN row_hash;
      ALTER TABLE case_record ADD COLUMN row_hash bigint NOT NULL GENERATED ALWAYS AS (hash_record_extended(ROW(
        case_no, court, case_type, procedure, type_code, cause, admin_sector, filing_date, closing_date, deadline_date,
        township, plaintiff_types, defendant_types, defendant_agency, party_count, series_id, claim_amount, closing_method,
        outcome, gov_lost, leader_appeared, defendant_age_band, appealed, appeal_result, retrial_result, enforced_amount,
        pre_mediation, related_case_no, petition_count, defendant_key), 0)) STORED;
      ALTER TABLE case_record DROP CONSTRAINT case_record_import_file_id_fkey;

      CREATE FUNCTION import_file_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'import_file rows are permanent (case records name them)' USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER import_file_no_delete BEFORE DELETE ON import_file
        FOR EACH ROW EXECUTE FUNCTION import_file_refuse_delete();
      CREATE TRIGGER import_file_no_truncate BEFORE TRUNCATE ON import_file
        FOR EACH STATEMENT EXECUTE FUNCTION import_file_refuse_delete();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER import_file_no_truncate ON import_file;
      DROP TRIGGER import_file_no_delete ON import_file;
      DROP FUNCTION import_file_refuse_delete();
      ALTER TABLE case_record ADD CONSTRAINT case_record_import_file_id_fkey FOREIGN KEY (import_file_id) REFERENCES import_file(id);
      ALTER TABLE case_record DROP COLUMN row_hash;
      ALTER TABLE case_record ADD COLUMN row_hash text NOT NULL DEFAULT '';
      ALTER TABLE case_record ALTER COLUMN row_hash DROP DEFAULT;
    `);
  }
}
