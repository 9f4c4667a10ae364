import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The court's judicial big data (DOMAIN.md §3, policy 第二条、第六条): one row per case, keyed by
 * 案号, with the two side tables (township population per year; township monthly petition and
 * public-opinion counts) and the ledger of imported files. Nothing here can hold a natural
 * person's name, ID number, phone, address, bank account or plate number: the importer drops or
 * masks them before the first write (DOMAIN.md §5); `defendant_key` is a keyed HMAC or an
 * organisation name.
 *
 * Townships are stored as department ids (`town-*`) so indicators join the county's units;
 * 县外 and 不详 are kept as the two pseudo-townships `outside` and `unknown`.
 */
export class CaseData1764028800400 implements MigrationInterface {
  name = 'CaseData1764028800400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE import_file (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('case_record','township_population','township_signal')),
        file_name text NOT NULL,
        sha256 text NOT NULL,
        encoding text NOT NULL,
        rows_read integer NOT NULL,
        rows_inserted integer NOT NULL,
        rows_updated integer NOT NULL,
        rows_unchanged integer NOT NULL,
        masked_cells integer NOT NULL DEFAULT 0,
        dropped_columns text[] NOT NULL DEFAULT '{}',
        imported_by uuid REFERENCES app_user(id),
        imported_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX import_file_sha256 ON import_file (sha256);

      CREATE TABLE case_record (
        case_no text PRIMARY KEY,
        court text NOT NULL,
        case_type text NOT NULL,
        procedure text NOT NULL,
        type_code text,
        cause text NOT NULL,
        admin_sector text,
        filing_date date NOT NULL,
        closing_date date,
        deadline_date date,
        township text NOT NULL,
        plaintiff_types text[] NOT NULL,
        defendant_types text[] NOT NULL,
        defendant_agency text,
        party_count integer CHECK (party_count IS NULL OR party_count >= 0),
        series_id text,
        claim_amount numeric(16,2) CHECK (claim_amount IS NULL OR claim_amount >= 0),
        closing_method text,
        outcome text,
        gov_lost boolean,
        leader_appeared boolean,
        defendant_age_band text,
        appealed boolean,
        appeal_result text,
        retrial_result text,
        enforced_amount numeric(16,2) CHECK (enforced_amount IS NULL OR enforced_amount >= 0),
        pre_mediation text,
        related_case_no text,
        petition_count integer CHECK (petition_count IS NULL OR petition_count >= 0),
        defendant_key text,
        -- a hash of the normalised row, so a re-import tells unchanged rows from updated ones cheaply
        row_hash text NOT NULL,
        import_file_id uuid NOT NULL REFERENCES import_file(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (closing_date IS NULL OR closing_date >= filing_date)
      );
      CREATE INDEX case_record_filing ON case_record (filing_date);
      CREATE INDEX case_record_closing ON case_record (closing_date);

      CREATE TABLE township_population (
        township text NOT NULL,
        year integer NOT NULL,
        resident_population integer NOT NULL CHECK (resident_population > 0),
        registered_migrants integer CHECK (registered_migrants IS NULL OR registered_migrants >= 0),
        import_file_id uuid NOT NULL REFERENCES import_file(id),
        PRIMARY KEY (township, year)
      );

      CREATE TABLE township_signal (
        township text NOT NULL,
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        petition_count integer NOT NULL CHECK (petition_count >= 0),
        public_opinion_count integer NOT NULL CHECK (public_opinion_count >= 0),
        import_file_id uuid NOT NULL REFERENCES import_file(id),
        PRIMARY KEY (township, month)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE township_signal; DROP TABLE township_population; DROP TABLE case_record; DROP TABLE import_file;`);
  }
}
