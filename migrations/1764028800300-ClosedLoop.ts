import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The closed loop's records (policy 第七条–第十九条): rounds, notices, opinions and measures,
 * supervision items with their escalations, interviews, listings, meetings, bulletins,
 * evaluations and deductions. Every table that a worker writes has the business key that makes
 * the write idempotent as a unique constraint; `trace_link` joins indicator → notice → opinion →
 * measure → item → escalation → next-round value.
 */
export class ClosedLoop1764028800300 implements MigrationInterface {
  name = 'ClosedLoop1764028800300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE assessment_round (
        id text PRIMARY KEY,                       -- e.g. 2026-H1, 2026-Y
        kind text NOT NULL CHECK (kind IN ('half_year','annual')),
        period_start date NOT NULL,
        period_end date NOT NULL,
        status text NOT NULL DEFAULT 'started' CHECK (status IN ('started','drafted','approved','notices_sent','closed')),
        process_instance_key bigint,
        report_document_id uuid,
        leader_comments text,
        created_at timestamptz NOT NULL DEFAULT now(),
        approved_at timestamptz,
        closed_at timestamptz
      );

      CREATE TABLE risk_notice (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        round_id text NOT NULL REFERENCES assessment_round(id),
        department_id text NOT NULL REFERENCES department(id),
        number text UNIQUE,
        indicator_ids text[] NOT NULL,
        due_date timestamptz,
        status text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued','answered','returned','accepted','closed')),
        document_id uuid,
        issued_at timestamptz NOT NULL DEFAULT now(),
        answered_at timestamptz,
        accepted_at timestamptz,
        process_instance_key bigint,
        UNIQUE (round_id, department_id)
      );

      CREATE TABLE work_opinion (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notice_id uuid NOT NULL REFERENCES risk_notice(id),
        version int NOT NULL,
        analysis text NOT NULL,
        submitted_by text NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        late boolean NOT NULL DEFAULT false,
        review_decision text CHECK (review_decision IN ('accept','return')),
        review_reason text,
        reviewed_by text,
        reviewed_at timestamptz,
        UNIQUE (notice_id, version)
      );

      CREATE TABLE measure (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        opinion_id uuid NOT NULL REFERENCES work_opinion(id),
        seq int NOT NULL,
        content text NOT NULL,
        owner_name text NOT NULL,
        responsible_department_id text NOT NULL REFERENCES department(id),
        deadline date NOT NULL,
        indicator_ids text[] NOT NULL DEFAULT '{}',
        townships text[] NOT NULL DEFAULT '{}',
        UNIQUE (opinion_id, seq)
      );

      CREATE TABLE joint_meeting (
        id text PRIMARY KEY,                       -- e.g. 2026-H2
        number text UNIQUE,
        convened_on date,
        agenda jsonb,
        minutes jsonb,
        agenda_document_id uuid,
        minutes_document_id uuid,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','held','closed')),
        process_instance_key bigint
      );

      CREATE TABLE supervision_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        business_key text NOT NULL UNIQUE,         -- measure:<id> or decision:<meeting>:<n>: one matter, one item
        number text UNIQUE,
        title text NOT NULL,
        source_kind text NOT NULL CHECK (source_kind IN ('notice','meeting')),
        source_id text NOT NULL,
        measure_id uuid REFERENCES measure(id),
        lead_department_id text NOT NULL REFERENCES department(id),
        co_department_ids text[] NOT NULL DEFAULT '{}',
        requirements text NOT NULL,
        deadline timestamptz NOT NULL,
        major boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'registered'
          CHECK (status IN ('registered','issued','signed','in_progress','submitted','returned','closed')),
        stage text NOT NULL DEFAULT 'green',       -- escalation stage, see src/domain/loop/escalation.ts
        returned_count int NOT NULL DEFAULT 0,
        result_summary text,
        result_on_time boolean,
        registered_at timestamptz NOT NULL DEFAULT now(),
        signed_at timestamptz,
        submitted_at timestamptz,
        closed_at timestamptz,
        notice_document_id uuid,
        process_instance_key bigint
      );
      CREATE INDEX supervision_item_lead ON supervision_item (lead_department_id);

      CREATE TABLE progress_report (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES supervision_item(id),
        message_id text NOT NULL UNIQUE,
        content text NOT NULL,
        reported_by text NOT NULL,
        reported_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE escalation_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid REFERENCES supervision_item(id),
        notice_id uuid REFERENCES risk_notice(id),
        kind text NOT NULL CHECK (kind IN ('reminder','urge','yellow_card','red_card','interview','listing','delisting','extension_granted','extension_refused','returned')),
        business_key text NOT NULL UNIQUE,
        at timestamptz NOT NULL DEFAULT now(),
        detail jsonb NOT NULL DEFAULT '{}',
        CHECK ((item_id IS NULL) <> (notice_id IS NULL))
      );

      CREATE TABLE interview (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL UNIQUE REFERENCES supervision_item(id),
        number text UNIQUE,
        department_id text NOT NULL REFERENCES department(id),
        reason text NOT NULL,
        requirements text,
        rectification_deadline timestamptz,
        held_at timestamptz,
        record jsonb,
        document_id uuid
      );

      CREATE TABLE listing (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL UNIQUE REFERENCES supervision_item(id),
        number text UNIQUE,
        department_id text NOT NULL REFERENCES department(id),
        problem text NOT NULL,
        five_implementations jsonb,
        deadline timestamptz,
        monthly_reports jsonb NOT NULL DEFAULT '[]',
        accepted_at timestamptz,
        delisted_at timestamptz,
        document_id uuid
      );

      CREATE TABLE bulletin (
        id text PRIMARY KEY,                        -- e.g. 2026-11 or adhoc-<uuid>
        number text UNIQUE,
        content jsonb NOT NULL,
        document_id uuid,
        compiled_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      );

      CREATE TABLE effectiveness_evaluation (
        year int PRIMARY KEY,
        outcomes jsonb,
        published_at timestamptz,
        score_sheet_document_id uuid,
        public_report_document_id uuid,
        seminar_on date
      );

      CREATE TABLE deduction (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        year int NOT NULL REFERENCES effectiveness_evaluation(year),
        department_id text NOT NULL REFERENCES department(id),
        category text NOT NULL,
        points numeric(6,2) NOT NULL,
        evidence jsonb NOT NULL,
        UNIQUE (year, department_id, category, evidence)
      );

      CREATE TABLE trace_link (
        from_kind text NOT NULL,
        from_id text NOT NULL,
        to_kind text NOT NULL,
        to_id text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (from_kind, from_id, to_kind, to_id)
      );
      CREATE INDEX trace_link_to ON trace_link (to_kind, to_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE trace_link, deduction, effectiveness_evaluation, bulletin, listing, interview, escalation_event,
        progress_report, supervision_item, joint_meeting, measure, work_opinion, risk_notice, assessment_round;
    `);
  }
}
