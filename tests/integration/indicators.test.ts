import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { PLANTED_RISKS } from '../../src/domain/cases/generator.ts';
import { defaultCatalogue } from '../../src/domain/indicators/catalogue.ts';
import { compileCaseScan, compileMaxPerKey, comparisonPeriods, conditionSql } from '../../src/domain/indicators/compile.ts';
import { PlaintiffCounts1764028802400 } from '../../migrations/1764028802400-PlaintiffCounts.ts';
import type { Aggregate } from '../../src/domain/indicators/definition.ts';
import { caseScanRows, figureTable } from '../../src/domain/indicators/figures.ts';
import { systemActor } from '../../src/services/actor.ts';
import { createIndicatorService } from '../../src/services/indicators/engine.ts';
import { ValidationError } from '../../src/shared/errors.ts';
import { ensureCountyData } from '../support/case-data.ts';
import { openTestDatabase, uniqueSuffix } from '../support/database.ts';

const H1_2025 = { start: '2025-01-01', end: '2025-06-30' };

/** The indicator engine over the generated county: the planted risks come out high, runs are reproducible, what-if changes the notice list. */
describe('indicator engine', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await openTestDatabase();
    await ensureCountyData(db);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('when the first half of 2025 is computed, then the planted risks are high or critical with the reason in words, and their owners get notices', async () => {
    const service = createIndicatorService(db);
    const run = await service.computeRound(systemActor, `T-${uniqueSuffix()}`, H1_2025);
    const results = await service.results(run.runId);
    const county = (id: string) => results.find((r) => r.indicatorId === id && r.region === 'county')!;

    expect(county(PLANTED_RISKS.privateLending.indicatorId)).toMatchObject({ level: 'critical', maxPerKey: PLANTED_RISKS.privateLending.sameDefendant });
    expect(county('B2').reason).toContain(`同一被告涉案${PLANTED_RISKS.privateLending.sameDefendant}件，达到20件`);
    expect(county(PLANTED_RISKS.wageArrears.indicatorId)).toMatchObject({ level: 'critical', maxPerKey: PLANTED_RISKS.wageArrears.cases });
    expect(['high', 'critical']).toContain(county(PLANTED_RISKS.juvenileCrime.indicatorId).level);
    expect(county('C4').reason).toMatch(/^同比上升\d+%/);
    const yuantan = results.find((r) => r.indicatorId === 'B2' && r.region === PLANTED_RISKS.privateLending.township)!;
    expect(['high', 'critical']).toContain(yuantan.level);
    expect(yuantan.ratePer10k).toBeGreaterThan(yuantan.base!);

    const recipients = new Map(run.recipients.map((r) => [r.departmentId, r.indicatorIds]));
    expect(recipients.get('jrj')).toContain('B2');
    expect(recipients.get('rsj')).toContain('B5');
    expect(recipients.get('jyj')).toContain('C4');
    expect(recipients.get(PLANTED_RISKS.privateLending.township)).toContain('B2');
    // Court-internal indicators never turn into a notice to the court itself.
    expect(recipients.has('court')).toBe(false);
    // Disabled indicators are not computed; every enabled one has a county row and 23 township rows.
    const enabled = defaultCatalogue.filter((d) => d.enabled);
    expect(new Set(results.map((r) => r.indicatorId)).size).toBe(enabled.length);
    expect(results.filter((r) => r.indicatorId === 'A1')).toHaveLength(24);
    expect(results.some((r) => r.indicatorId === 'A5')).toBe(false);
  });

  it('when every indicator is computed in one scan, then each number equals the same aggregate computed on its own, per township and for the county', async () => {
    // The scan shares conditions and adds the county up from the townships; this is the plain
    // one-aggregate-per-query reading of the same formulas, to catch any drift in those tricks.
    const enabled = defaultCatalogue.filter((d) => d.enabled && d.formula.num.basis !== 'signals');
    const scan = compileCaseScan(enabled, H1_2025);
    const rows = caseScanRows(scan, figureTable(await db.query<Record<string, unknown>[]>(scan.sql)));
    const scanned = new Map(rows.map((r) => [r.township ?? 'county', r]));
    const alone = async (a: Aggregate, p: { start: string; end: string }) => {
      const value = a.agg === 'count' ? 'count(*)' : a.agg === 'sum' ? `coalesce(sum(${a.field ?? 'claim_amount'}), 0)` : 'avg(closing_date - filing_date)';
      const out = await db.query<{ township: string | null; value: string | null; n: string }[]>(
        `SELECT township, ${value} AS value, count(*) AS n FROM case_record WHERE ${conditionSql(a, p)} GROUP BY ROLLUP (township)`,
      );
      return new Map(out.map((r) => [r.township ?? 'county', r]));
    };
    const periods = comparisonPeriods(H1_2025);
    let compared = 0;
    for (const d of enabled) {
      for (const [k, columns] of scan.columns.get(d.id)!.entries()) {
        const parts: [Aggregate, string, string][] = [[d.formula.num, columns.num, columns.numRows]];
        if (d.formula.den) parts.push([d.formula.den, columns.den!, columns.denRows!]);
        for (const [aggregate, valueColumn, rowsColumn] of parts) {
          for (const [region, expected] of await alone(aggregate, periods[k]!)) {
            const row = scanned.get(region)!;
            expect(Number(row[rowsColumn]), `${d.id} p${k} ${region} rows`).toBe(Number(expected.n));
            expect(row[valueColumn] === null ? null : Number(row[valueColumn]), `${d.id} p${k} ${region} value`).toBe(expected.value === null ? null : Number(expected.value));
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(enabled.length * 4 * 20);
  });

  it('when a past round is recomputed with the definition versions it used, then every number is identical, even after a definition changed', async () => {
    const service = createIndicatorService(db);
    const roundId = `T-${uniqueSuffix()}`;
    const run = await service.computeRound(systemActor, roundId, H1_2025);
    expect((await service.computeRound(systemActor, roundId, H1_2025)).runId).toBe(run.runId);
    const b2 = defaultCatalogue.find((d) => d.id === 'B2')!;
    const saved = await service.saveDefinition(systemActor, { ...b2, floors: [], minN: 50 });
    expect(saved.version).toBeGreaterThan(1);
    const stored = await service.results(run.runId);
    const again = await service.recompute(run.runId, 'as_run');
    expect(again.asRun).toBe(true);
    const strip = (r: { indicatorId: string; region: string; value: number | null; level: string; reason: string }) => ({
      indicatorId: r.indicatorId,
      region: r.region,
      value: r.value,
      level: r.level,
      reason: r.reason,
    });
    const byKey = (a: { indicatorId: string; region: string }, b: { indicatorId: string; region: string }) => a.indicatorId.localeCompare(b.indicatorId) || a.region.localeCompare(b.region);
    expect(again.results.map(strip).sort(byKey)).toEqual(stored.map(strip).sort(byKey));
    // Put B2 back as it was, for the other tests of this database.
    await service.saveDefinition(systemActor, b2);
  });

  it('when plaintiffs are counted (A3, B5), then PostgreSQL sums 当事人人数 per defendant or per case/series, where counting cases would not reach 10', async () => {
    // The period's rows in a table of this connection only: no other test's county data moves.
    const runner = db.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`CREATE TEMP TABLE plaintiff_rows AS SELECT * FROM case_record WHERE false`);
      const row = (caseNo: string, o: { township: string; type: string; cause?: string; sector?: string; series?: string; defendant?: string; parties: number | null }) =>
        runner.query(
          `INSERT INTO plaintiff_rows (case_no, township, filing_date, case_type, cause, admin_sector, series_id, defendant_key, party_count) VALUES ($1, $2, '2025-03-02', $3, $4, $5, $6, $7, $8)`,
          [caseNo, o.township, o.type, o.cause ?? null, o.sector ?? null, o.series ?? null, o.defendant ?? null, o.parties],
        );
      // A3: one expropriation suit with 12 plaintiffs; a series of 3 cases with 3 plaintiffs each (9) elsewhere.
      await row('（2025）豫1328行初1号', { township: 'town-huyang', type: '行政', sector: '国有土地上房屋征收', parties: 12 });
      for (const n of [2, 3, 4]) await row(`（2025）豫1328行初${n}号`, { township: 'town-yuantan', type: '行政', sector: '拆违拆临', series: 'S-DEMO-1', parties: 3 });
      // B5: 4 wage suits against one employer with 3 workers each (12), one of them blank (counted as 1 plaintiff).
      for (const n of [1, 2, 3]) await row(`（2025）豫1328民初${n}号`, { township: 'town-huyang', type: '民事', cause: '追索劳动报酬纠纷', defendant: 'dk-employer', parties: 3 });
      await row('（2025）豫1328民初4号', { township: 'town-yuantan', type: '民事', cause: '劳务合同纠纷', defendant: 'dk-employer', parties: null });
      const maxima = async (id: string) => {
        const d = defaultCatalogue.find((x) => x.id === id)!;
        const rule = d.floors.find((f) => f.when === 'max_per_key_gte')!;
        if (rule.when !== 'max_per_key_gte') throw new Error('no per-key rule');
        const rows: { township: string | null; max_n: number }[] = await runner.query(compileMaxPerKey(d, rule, H1_2025, 'plaintiff_rows'));
        return Object.fromEntries(rows.map((r) => [r.township ?? 'county', r.max_n]));
      };
      expect(await maxima('A3')).toEqual({ county: 12, 'town-huyang': 12, 'town-yuantan': 9 });
      expect(await maxima('B5')).toEqual({ county: 10, 'town-huyang': 9, 'town-yuantan': 1 });
      // The same rows counted as cases, as B2 counts: 4 cases against the employer.
      const b5 = defaultCatalogue.find((x) => x.id === 'B5')!;
      const asCases: { township: string | null; max_n: number }[] = await runner.query(compileMaxPerKey(b5, { key: 'defendant_key', count: 'cases' }, H1_2025, 'plaintiff_rows'));
      expect(asCases.find((r) => r.township === null)!.max_n).toBe(4);
    } finally {
      await runner.query(`DROP TABLE IF EXISTS plaintiff_rows`);
      await runner.release();
    }
  });

  it('when a database seeded before plaintiff counts is migrated, then A3, B5 and B7 get a version counting plaintiffs, with the shipped description unless the county changed it', async () => {
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const next = async (id: string) => Number((await runner.query(`SELECT max(version) + 1 AS v FROM indicator_definition WHERE id = $1`, [id]))[0].v);
      const oldStyle = async (id: string, description: string) => {
        const shipped = defaultCatalogue.find((d) => d.id === id)!;
        const floors = shipped.floors.map((f) => (f.when === 'max_per_key_gte' ? { when: f.when, key: f.key, value: f.value, floor: f.floor } : f));
        const version = await next(id);
        await runner.query(`INSERT INTO indicator_definition (id, version, definition, created_by) VALUES ($1, $2, $3, 'seed')`, [id, version, JSON.stringify({ ...shipped, floors, description })]);
        return version;
      };
      const a3 = await oldStyle('A3', '新收征收、拆迁类行政案件数');
      const b5 = await oldStyle('B5', '县里改过的说明');
      const b2 = await next('B2');
      await new PlaintiffCounts1764028802400().up(runner);
      const latest = async (id: string) => (await runner.query(`SELECT version, definition, created_by FROM indicator_definition WHERE id = $1 ORDER BY version DESC LIMIT 1`, [id]))[0];
      const a3Now = await latest('A3');
      expect(a3Now.version).toBe(a3 + 1);
      expect(a3Now.created_by).toBe('migration');
      expect(a3Now.definition.floors).toEqual([{ when: 'max_per_key_gte', key: 'series_id', count: 'plaintiffs', value: 10, floor: 'critical' }]);
      expect(a3Now.definition.description).toBe(defaultCatalogue.find((d) => d.id === 'A3')!.description);
      const b5Now = await latest('B5');
      expect(b5Now.version).toBe(b5 + 1);
      expect(b5Now.definition.floors[0].count).toBe('plaintiffs');
      expect(b5Now.definition.description).toBe('县里改过的说明');
      // B2 counts cases on purpose, and a definition already counting plaintiffs (B7 here) gets no new version.
      expect((await latest('B2')).version).toBe(b2 - 1);
      expect((await latest('B7')).created_by).not.toBe('migration');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('when a leader asks what a changed threshold would do, then the notice list before and after is shown and nothing is stored', async () => {
    const service = createIndicatorService(db);
    const run = await service.computeRound(systemActor, `T-${uniqueSuffix()}`, H1_2025);
    // D2 (pollution disputes) doubled in the generated data: 生态环境局 is on the list.
    expect(run.recipients.find((r) => r.departmentId === 'sthj')).toBeDefined();
    const answer = await service.whatIf(run.runId, [
      { indicatorId: 'D2', definition: { bands: { kind: 'default', medium: { yoy: 2, ratio: 3 }, high: { yoy: 5, ratio: 5 }, critical: { yoy: 9, ratio: 9 } } } },
    ]);
    expect(answer.before).toEqual(run.recipients);
    expect(answer.removed).toEqual(['sthj']);
    expect(answer.changedLevels.every((c) => c.indicatorId === 'D2')).toBe(true);
    expect(await service.summary(run.runId)).toEqual(run);
    await expect(service.whatIf(run.runId, [{ indicatorId: 'D2', definition: { minN: -1 } }])).rejects.toThrow(ValidationError);
  });
});
