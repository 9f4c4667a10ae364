import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The 成效研讨会 of an evaluation (第十七条, issue 19 point 10): its plan (date, venue, topics, the
 * invited experts with their addresses) and, once held, its record (who attended, conclusions,
 * recommendations), kept with the year's evaluation.
 */
export class SeminarRecord1764028801900 implements MigrationInterface {
  name = 'SeminarRecord1764028801900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE effectiveness_evaluation ADD COLUMN seminar jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE effectiveness_evaluation DROP COLUMN seminar`);
  }
}
