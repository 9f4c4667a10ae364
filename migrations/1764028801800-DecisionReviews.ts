import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The year's joint-meeting decisions looked back on in the evaluation (第十条(四), issue 19 point 7):
 * each decision's prejudged impact against what its indicators and its item did, as published.
 */
export class DecisionReviews1764028801800 implements MigrationInterface {
  name = 'DecisionReviews1764028801800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE effectiveness_evaluation ADD COLUMN decision_reviews jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE effectiveness_evaluation DROP COLUMN decision_reviews`);
  }
}
