import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 约谈 and 挂牌督办 by decision (issue 19 point 3, 第十五条): a leader's order on an item, with the
 * policy's reason and the evidence, at most once per item and step (the item's process runs each
 * step once); and the leader's decision on each prompt the data raised, so an accepted or dismissed
 * prompt is not shown again for the same matter and period.
 */
export class EscalationOrders1764028801500 implements MigrationInterface {
  name = 'EscalationOrders1764028801500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE escalation_prompt_decision (
        prompt_key text PRIMARY KEY,
        department_id text NOT NULL REFERENCES department(id),
        step text NOT NULL CHECK (step IN ('interview','listing')),
        reason text NOT NULL,
        figures text NOT NULL,
        decision text NOT NULL CHECK (decision IN ('accepted','dismissed')),
        note text,
        decided_by text NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE escalation_order (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES supervision_item(id),
        step text NOT NULL CHECK (step IN ('interview','listing')),
        reason text NOT NULL CHECK (reason IN ('duty_unfulfilled','work_ineffective','public_outcry','safety_work_lax','major_hazard')),
        evidence text NOT NULL,
        prompt_key text REFERENCES escalation_prompt_decision(prompt_key),
        ordered_by text NOT NULL,
        ordered_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (item_id, step)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE escalation_order; DROP TABLE escalation_prompt_decision;`);
  }
}
