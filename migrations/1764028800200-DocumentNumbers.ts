import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 文号 counters and the generated-document store. `document_number_counter` holds the last
 * serial per (机关代字, year); allocation takes its row lock inside the caller's transaction, so
 * numbers are gap-free and unique (a rolled-back transaction gives its number back).
 * `document_number` is the register of every number handed out, keyed by the business key of
 * what it numbers, so a redelivered job gets the same number again. `document` stores each
 * generated paper (.docx and PDF bytes) content-addressed by the SHA-256 of its content.
 */
export class DocumentNumbers1764028800200 implements MigrationInterface {
  name = 'DocumentNumbers1764028800200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE document_number_counter (
        prefix text NOT NULL,
        year int NOT NULL CHECK (year BETWEEN 2000 AND 2999),
        last_value int NOT NULL DEFAULT 0 CHECK (last_value >= 0),
        PRIMARY KEY (prefix, year)
      );

      CREATE TABLE document_number (
        prefix text NOT NULL,
        year int NOT NULL,
        serial int NOT NULL CHECK (serial > 0),
        number text NOT NULL UNIQUE,
        business_key text NOT NULL UNIQUE,
        allocated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (prefix, year, serial),
        FOREIGN KEY (prefix, year) REFERENCES document_number_counter (prefix, year)
      );

      CREATE TABLE document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL,
        number text,
        title text NOT NULL,
        -- SHA-256 of the document's content (its canonical model): the same content is stored once.
        sha256 text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        docx bytea NOT NULL,
        docx_sha256 text NOT NULL CHECK (docx_sha256 ~ '^[0-9a-f]{64}$'),
        pdf bytea NOT NULL,
        pdf_sha256 text NOT NULL CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
        text_body text NOT NULL,
        audience text NOT NULL CHECK (audience IN ('internal','public')),
        recipients text[] NOT NULL DEFAULT '{}',
        cc text[] NOT NULL DEFAULT '{}',
        issued_on date NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX document_number_idx ON document (number) WHERE number IS NOT NULL;
      CREATE INDEX document_recipients ON document USING gin (recipients);
      CREATE INDEX document_cc ON document USING gin (cc);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE document; DROP TABLE document_number; DROP TABLE document_number_counter;`);
  }
}
