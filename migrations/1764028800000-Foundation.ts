import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Departments, users, sessions, the append-only audit log, the worker effect ledger, the mail
 * outbox, and the engine read model that the Zeebe exporter (src/engine/exporter) writes.
 */
export class Foundation1764028800000 implements MigrationInterface {
  name = 'Foundation1764028800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE department (
        id text PRIMARY KEY,
        name text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('court','leadership','office','department','township')),
        email text NOT NULL,
        leader_email text,
        sort_order int NOT NULL DEFAULT 0,
        active boolean NOT NULL DEFAULT true
      );

      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{3,64}$'),
        display_name text NOT NULL,
        password_hash text NOT NULL,
        department_id text REFERENCES department(id),
        roles text[] NOT NULL CHECK (roles <@ ARRAY['court_analyst','leader','peace_office','department','admin','auditor']::text[] AND cardinality(roles) > 0),
        email text,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (NOT ('department' = ANY(roles)) OR department_id IS NOT NULL)
      );

      -- Server-side sessions (express-session via connect-pg-simple's table layout).
      CREATE TABLE session (
        sid varchar NOT NULL PRIMARY KEY,
        sess json NOT NULL,
        expire timestamp(6) NOT NULL
      );
      CREATE INDEX session_expire ON session (expire);
      CREATE INDEX session_by_user ON session ((sess->>'userId'));

      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        actor_name text NOT NULL,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text,
        department_id text,
        before jsonb,
        after jsonb,
        sha256 text
      );
      CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);

      -- Append-only: the database itself refuses to change history, whoever asks.
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

      -- One row per side effect a worker performed, keyed by its business key: a redelivered
      -- job finds its row and returns the recorded result instead of acting twice.
      CREATE TABLE job_effect (
        job_type text NOT NULL,
        business_key text NOT NULL,
        job_key text NOT NULL,
        result jsonb NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_type, business_key)
      );

      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        dedup_key text NOT NULL UNIQUE,
        recipients text[] NOT NULL,
        cc text[] NOT NULL DEFAULT '{}',
        subject text NOT NULL,
        body text NOT NULL,
        attachments jsonb NOT NULL DEFAULT '[]',
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','failed')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        message_id text NOT NULL,
        smtp_response text,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      );
      CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

      -- Engine read model, written only by the exporter. Keys are Zeebe longs (bigint).
      CREATE TABLE engine_process_instance (
        key bigint PRIMARY KEY,
        bpmn_process_id text NOT NULL,
        version int NOT NULL,
        process_definition_key bigint NOT NULL,
        parent_process_instance_key bigint NOT NULL,
        parent_element_instance_key bigint NOT NULL,
        state text NOT NULL,
        start_time timestamptz NOT NULL,
        end_time timestamptz,
        position bigint NOT NULL
      );
      CREATE TABLE engine_element_instance (
        key bigint PRIMARY KEY,
        process_instance_key bigint NOT NULL,
        bpmn_process_id text NOT NULL,
        element_id text NOT NULL,
        element_type text NOT NULL,
        flow_scope_key bigint NOT NULL,
        state text NOT NULL,
        start_time timestamptz NOT NULL,
        end_time timestamptz,
        position bigint NOT NULL
      );
      CREATE INDEX engine_element_instance_pi ON engine_element_instance (process_instance_key);
      CREATE TABLE engine_user_task (
        key bigint PRIMARY KEY,
        process_instance_key bigint NOT NULL,
        process_definition_key bigint NOT NULL,
        bpmn_process_id text NOT NULL,
        element_id text NOT NULL,
        element_instance_key bigint NOT NULL,
        candidate_groups text[] NOT NULL,
        candidate_users text[] NOT NULL,
        assignee text,
        due_date timestamptz,
        follow_up_date timestamptz,
        priority int NOT NULL,
        form_key bigint NOT NULL,
        custom_headers jsonb NOT NULL,
        state text NOT NULL,
        creation_time timestamptz NOT NULL,
        end_time timestamptz,
        position bigint NOT NULL
      );
      CREATE INDEX engine_user_task_open ON engine_user_task USING gin (candidate_groups) WHERE state = 'CREATED';
      CREATE INDEX engine_user_task_pi ON engine_user_task (process_instance_key);
      CREATE TABLE engine_incident (
        key bigint PRIMARY KEY,
        process_instance_key bigint NOT NULL,
        bpmn_process_id text NOT NULL,
        element_id text NOT NULL,
        element_instance_key bigint NOT NULL,
        job_key bigint NOT NULL,
        error_type text NOT NULL,
        error_message text,
        state text NOT NULL,
        creation_time timestamptz NOT NULL,
        position bigint NOT NULL
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE engine_incident, engine_user_task, engine_element_instance, engine_process_instance,
        outbox, job_effect, audit_log, session, app_user, department;
      DROP FUNCTION audit_log_refuse_change();
    `);
  }
}
