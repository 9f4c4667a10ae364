import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read receipts of the document inbox: who first opened which document, and when (one row per reader). */
export class DocumentReads1764028800810 implements MigrationInterface {
  name = 'DocumentReads1764028800810';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE document_read (
        document_id uuid NOT NULL REFERENCES document(id),
        user_id uuid NOT NULL REFERENCES app_user(id),
        department_id text REFERENCES department(id),
        first_read_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (document_id, user_id)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE document_read;`);
  }
}
