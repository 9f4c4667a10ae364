import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { PLANTED_RISKS } from '../../src/domain/cases/generator.ts';
import { defaultCatalogue } from '../../src/domain/indicators/catalogue.ts';
import { compileCaseScan, comparisonPeriods, conditionSql } from '../../src/domain/indicators/compile.ts';
import type { Aggregate } from '../../src/domain/indicators/definition.ts';
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
    const rows = await db.query<Record<string, unknown>[]>(scan.sql);
    const scanned = new Map(rows.map((r) => [(r.township as string | null) ?? 'county', r]));
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
