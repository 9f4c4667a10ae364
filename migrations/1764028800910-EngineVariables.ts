import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Process variables in the exporter's read model (latest value per variable), so a task's Camunda
 * Form opens with what the process knows: option lists (units, a notice's indicators) and the
 * facts its text shows. Written only by the exporter.
 */
export class EngineVariables1764028800910 implements MigrationInterface {
  name = 'EngineVariables1764028800910';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE engine_variable (
        key bigint PRIMARY KEY,
        process_instance_key bigint NOT NULL,
        scope_key bigint NOT NULL,
        name text NOT NULL,
        value jsonb,
        position bigint NOT NULL
      );
      CREATE INDEX engine_variable_scope ON engine_variable (scope_key, name);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE engine_variable;`);
  }
}
