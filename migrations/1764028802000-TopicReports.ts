import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 专题分析 (第六条, issue 19 point 5): a topic runs as an assessment round of its own. Its row
 * keeps the kind and dates of its latest period (what notices quote) and the topic — subject,
 * indicators, townships, periods — with who composed it. A round without a topic is a scheduled one.
 */
export class TopicReports1764028802000 implements MigrationInterface {
  name = 'TopicReports1764028802000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE assessment_round ADD COLUMN topic jsonb, ADD COLUMN composed_by text`);
    await q.query(`ALTER TABLE assessment_round ADD CONSTRAINT assessment_round_topic_composer CHECK ((topic IS NULL) = (composed_by IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE assessment_round DROP CONSTRAINT assessment_round_topic_composer, DROP COLUMN composed_by, DROP COLUMN topic`);
  }
}
