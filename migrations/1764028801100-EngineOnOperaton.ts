import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The engine moved to Operaton, which keeps its state in schema `operaton` of this database: the
 * read model the Zeebe exporter wrote goes, and views of the same names over the engine's own
 * tables take its place (src/engine/read-views.ts, created once the engine has its schema).
 */
export class EngineOnOperaton1764028801100 implements MigrationInterface {
  name = 'EngineOnOperaton1764028801100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS engine_variable, engine_incident, engine_user_task, engine_element_instance, engine_process_instance`);
  }

  async down(): Promise<void> {
    throw new Error('the Zeebe read model cannot be restored: the engine it mirrored is gone');
  }
}
