import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Diagrams deployed from the admin modeler, one row per process version the engine assigned.
 * Why: Camunda 8.6 without Operate has no API that returns a deployed version's XML, and the
 * process monitor must draw each instance with the diagram it actually runs on.
 */
export class ProcessDeployment1764028800700 implements MigrationInterface {
  name = 'ProcessDeployment1764028800700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE process_deployment (
        bpmn_process_id text NOT NULL,
        version int NOT NULL,
        name text NOT NULL,
        resource_name text NOT NULL,
        xml text NOT NULL,
        sha256 text NOT NULL,
        deployed_by uuid REFERENCES app_user(id),
        deployed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (bpmn_process_id, version)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE process_deployment`);
  }
}
