import type { MigrationInterface, QueryRunner } from 'typeorm';
import { defaultCatalogue } from '../src/domain/indicators/catalogue.ts';

/**
 * The indicator engine's data: versioned definitions (an edit is a new version, never an
 * overwrite), one run per assessment round with the definition versions and import files it
 * used, and the value, comparison and level of every indicator per region. Seeds version 1 of
 * DOMAIN.md §2's 37 indicators.
 */
export class Indicators1764028800500 implements MigrationInterface {
  name = 'Indicators1764028800500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE indicator_definition (
        id text NOT NULL,
        version int NOT NULL CHECK (version > 0),
        definition jsonb NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (id, version)
      );
      CREATE TABLE indicator_run (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        round_id text,
        -- hash of the definition versions and import files used: a round recomputes only when one changed
        fingerprint text NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        definitions jsonb NOT NULL,             -- [{id, version}] used
        import_files text[] NOT NULL DEFAULT '{}', -- sha256 of every imported file behind the data
        computed_by text NOT NULL,
        computed_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (round_id, fingerprint)
      );
      ALTER TABLE assessment_round ADD COLUMN indicator_run_id uuid REFERENCES indicator_run(id);
      CREATE TABLE indicator_value (
        id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
        run_id uuid NOT NULL REFERENCES indicator_run(id),
        indicator_id text NOT NULL,
        version int NOT NULL,
        region text NOT NULL,                   -- 'county' or a township id
        value numeric,
        n int NOT NULL,
        previous numeric,
        base numeric,
        comparable numeric,
        rate_per_10k numeric,
        max_per_key int,
        yoy numeric,
        ratio numeric,
        level text NOT NULL CHECK (level IN ('low','medium','high','critical')),
        reason text NOT NULL,
        PRIMARY KEY (run_id, indicator_id, region),
        FOREIGN KEY (indicator_id, version) REFERENCES indicator_definition (id, version)
      );
    `);
    for (const d of defaultCatalogue) {
      await q.query(`INSERT INTO indicator_definition (id, version, definition, created_by) VALUES ($1, 1, $2, 'seed')`, [d.id, JSON.stringify(d)]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE assessment_round DROP COLUMN indicator_run_id; DROP TABLE indicator_value; DROP TABLE indicator_run; DROP TABLE indicator_definition;`);
  }
}
