import type { MigrationInterface, QueryRunner } from 'typeorm';
import { defaultCatalogue } from '../src/domain/indicators/catalogue.ts';

/** The indicators whose hard trigger counts plaintiffs, not cases (DOMAIN.md: A3, B5, B7; issue 17 rule 12). */
const PLAINTIFF_TRIGGERS = ['A3', 'B5', 'B7'];

/** The descriptions shipped before, which said nothing of plaintiffs (B5's named cases). */
const SHIPPED_BEFORE: Record<string, string> = {
  A3: '新收征收、拆迁类行政案件数',
  B5: '新收追索劳动报酬、劳务合同等欠薪类案件及拒不支付劳动报酬罪案件数；同一被告≥10件为极高风险',
  B7: '新收商品房预售、买卖及房屋买卖合同纠纷案件数',
};

interface Floor {
  when: string;
  count?: string;
}

/**
 * A database seeded before the triggers counted plaintiffs holds A3, B5 and B7 with a floor that counts cases.
 * Each gets a new version whose floor counts plaintiffs (its thresholds as the county set them) and, where its
 * description is still the shipped one, the shipped description that says so. Rounds already computed keep the
 * versions they used (复算核对 recomputes them as they were). A fresh database is seeded with the new floors.
 */
export class PlaintiffCounts1764028802400 implements MigrationInterface {
  name = 'PlaintiffCounts1764028802400';

  async up(q: QueryRunner): Promise<void> {
    const latest: { id: string; version: number; definition: { floors?: Floor[]; description?: string } }[] = await q.query(
      `SELECT DISTINCT ON (id) id, version, definition FROM indicator_definition WHERE id = ANY($1) ORDER BY id, version DESC`,
      [PLAINTIFF_TRIGGERS],
    );
    for (const row of latest) {
      const floors = row.definition.floors ?? [];
      if (!floors.some((f) => f.when === 'max_per_key_gte' && f.count === undefined)) continue;
      const shipped = defaultCatalogue.find((d) => d.id === row.id)!;
      const definition = {
        ...row.definition,
        floors: floors.map((f) => (f.when === 'max_per_key_gte' && f.count === undefined ? { ...f, count: 'plaintiffs' } : f)),
        description: row.definition.description === SHIPPED_BEFORE[row.id] ? shipped.description : row.definition.description,
      };
      await q.query(`INSERT INTO indicator_definition (id, version, definition, created_by) VALUES ($1, $2, $3, 'migration')`, [row.id, row.version + 1, JSON.stringify(definition)]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM indicator_definition d WHERE id = ANY($1) AND created_by = 'migration'
                     AND NOT EXISTS (SELECT 1 FROM indicator_value v WHERE v.indicator_id = d.id AND v.version = d.version)`, [PLAINTIFF_TRIGGERS]);
  }
}
