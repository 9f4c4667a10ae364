import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 约谈 of a unit's principal without an item (第十五条, issue 19 point 3): a leader's order names
 * the unit itself (a township prompted by its 信访/舆情 may have no item in handling), and its
 * interview belongs to the order. An order without an item is a 约谈; 挂牌督办 stays an item's.
 */
export class UnitInterviews1764028802200 implements MigrationInterface {
  name = 'UnitInterviews1764028802200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE escalation_order ADD COLUMN department_id text REFERENCES department(id), ALTER COLUMN item_id DROP NOT NULL`);
    await q.query(`UPDATE escalation_order o SET department_id = i.lead_department_id FROM supervision_item i WHERE i.id = o.item_id`);
    await q.query(`ALTER TABLE escalation_order ALTER COLUMN department_id SET NOT NULL, ADD CONSTRAINT escalation_order_subject CHECK (item_id IS NOT NULL OR step = 'interview')`);
    await q.query(`ALTER TABLE interview ALTER COLUMN item_id DROP NOT NULL, ADD COLUMN order_id uuid UNIQUE REFERENCES escalation_order(id)`);
    await q.query(`ALTER TABLE interview ADD CONSTRAINT interview_subject CHECK ((item_id IS NULL) <> (order_id IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM interview WHERE item_id IS NULL`);
    await q.query(`ALTER TABLE interview DROP CONSTRAINT interview_subject, DROP COLUMN order_id, ALTER COLUMN item_id SET NOT NULL`);
    await q.query(`DELETE FROM escalation_order WHERE item_id IS NULL`);
    await q.query(`ALTER TABLE escalation_order DROP CONSTRAINT escalation_order_subject, DROP COLUMN department_id, ALTER COLUMN item_id SET NOT NULL`);
  }
}
