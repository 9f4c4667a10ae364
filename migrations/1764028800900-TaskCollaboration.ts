import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Working a task together (PRODUCT.md §7 inbox): comments and attachments on a user task, and
 * each user's saved inbox filters. Comments and attachments are evidence: never updated.
 */
export class TaskCollaboration1764028800900 implements MigrationInterface {
  name = 'TaskCollaboration1764028800900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE task_comment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_key bigint NOT NULL,
        author_id uuid REFERENCES app_user(id),
        author_name text NOT NULL,
        department_id text REFERENCES department(id),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX task_comment_task ON task_comment (task_key, created_at);

      CREATE TABLE task_attachment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_key bigint NOT NULL,
        file_name text NOT NULL,
        content_type text NOT NULL,
        size int NOT NULL,
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        data bytea NOT NULL,
        uploaded_by uuid REFERENCES app_user(id),
        uploader_name text NOT NULL,
        department_id text REFERENCES department(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX task_attachment_task ON task_attachment (task_key, created_at);

      CREATE TABLE saved_filter (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
        filter jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_id, name)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE saved_filter; DROP TABLE task_attachment; DROP TABLE task_comment;`);
  }
}
