import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { defaultCatalogue } from '../../src/domain/indicators/catalogue.ts';
import { comparisonPeriods, conditionSql } from '../../src/domain/indicators/compile.ts';
import { storableFigures } from '../../src/domain/indicators/figures.ts';
import { systemActor } from '../../src/services/actor.ts';
import { importCaseRecords } from '../../src/services/imports/case-import.ts';
import { computeIndicatorFigures, createIndicatorService, latestDefinitions } from '../../src/services/indicators/engine.ts';
import { ensureCountyData } from '../support/case-data.ts';
import { uniqueSerialPrefix } from '../support/case-numbers.ts';
import { openTestDatabase, uniqueSuffix } from '../support/database.ts';

const header = '案号,承办法院,案件类型,审判程序,案由,立案日期,结案日期,乡镇(街道),原告(申请人)类型,被告(被申请人/被执行人)类型,诉讼标的额(元)';
const H1_2003 = { start: '2003-01-01', end: '2003-06-30' };
const H1_2004 = { start: '2004-01-01', end: '2004-06-30' };

/**
 * A round reuses the history periods a stored run computed (2001–2003 H1 of the 2003 round, for
 * the 2004 round) and adds the rows changed since: its figures and results must be exactly those
 * of scanning every period again. The data are the years 2000–2004, which no other test reads.
 */
describe('indicator history reuse', () => {
  let db: DataSource;
  const serial = uniqueSerialPrefix();
  const caseNo = (year: number, n: number) => `（${year}）豫1328民初${serial}${n}号`;
  type Case = { year: number; n: number; filed: string; closed?: string; township?: string; cause?: string; amount?: string };
  const line = (c: Case) =>
    `${caseNo(c.year, c.n)},唐河县人民法院,民事,一审,${c.cause ?? '民间借贷纠纷'},${c.filed},${c.closed ?? ''},${c.township ?? '源潭镇'},自然人,自然人,${c.amount ?? '12000.50'}`;
  const importCases = async (cases: Case[]) => {
    const data = Buffer.from([header, ...cases.map(line)].join('\n'), 'utf8');
    return importCaseRecords(db, Readable.from([data]), {
      fileName: `history-${uniqueSuffix()}.csv`,
      format: 'csv',
      xlsxLimits: loadConfig({ NODE_ENV: 'test' }),
      hmacKey: 'test-hmac-key-0123456789abcdef',
      actor: systemActor,
      declaredBytes: data.length,
    });
  };

  // A first export: a case a month from January 2000 to June 2004, some closed, some pending, in two townships.
  const first: Case[] = [];
  for (let year = 2000; year <= 2004; year++) {
    for (let month = 1; month <= (year === 2004 ? 6 : 12); month++) {
      const filed = `${year}-${String(month).padStart(2, '0')}-05`;
      const n = month;
      first.push({ year, n, filed, closed: month % 3 === 0 ? undefined : `${year}-${String(month).padStart(2, '0')}-25`, township: month % 2 ? '源潭镇' : '湖阳镇', cause: month % 4 ? '民间借贷纠纷' : '买卖合同纠纷', amount: `${1000 + month}.${String(month * 7).padStart(2, "0").slice(-2)}` });
    }
  }
  // The export a year later: the pending case of March 2002 closed, the case of February 2001 moved
  // township, an amount corrected, and three new cases in the history periods and the period itself.
  const corrected = first.map((c) => {
    if (c.year === 2002 && c.n === 3) return { ...c, closed: '2002-05-20' };
    if (c.year === 2001 && c.n === 2) return { ...c, township: '源潭镇' };
    if (c.year === 2003 && c.n === 5) return { ...c, amount: '99999.99' };
    return c;
  });
  const added: Case[] = [
    { year: 2003, n: 40, filed: '2003-04-11' },
    { year: 2002, n: 41, filed: '2002-02-11', closed: '2002-06-10', township: '湖阳镇' },
    { year: 2004, n: 42, filed: '2004-05-11' },
  ];

  beforeAll(async () => {
    db = await openTestDatabase();
    // The county's generated data is one large import: loaded before this test's runs, not between them.
    await ensureCountyData(db);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('when a round follows one that computed its earlier periods, then only its own period is scanned and every figure equals a scan of all four, after corrections and new cases', async () => {
    const imported = await importCases(first);
    expect(imported.problems).toEqual([]);
    expect(imported).toMatchObject({ inserted: first.length, rejected: 0 });
    const service = createIndicatorService(db);
    const lastYear = await service.computeRound(systemActor, `R-${uniqueSuffix()}`, H1_2003);
    expect(await importCases([...corrected, ...added])).toMatchObject({ inserted: 3, updated: 3, rejected: 0 });

    const definitions = await latestDefinitions(db);
    const { reused, scanned } = await db.transaction(async (tx) => ({
      reused: await computeIndicatorFigures(tx, definitions, H1_2004),
      scanned: await computeIndicatorFigures(tx, definitions, H1_2004, { history: 'scan' }),
    }));
    expect(reused.reusedRun).toBe(lastYear.runId);
    expect(scanned.reusedRun).toBeNull();
    const all = [0, 1, 2, 3];
    expect(storableFigures(reused.scan, reused.figures, all)).toEqual(storableFigures(scanned.scan, scanned.figures, all));
    expect(reused.results).toEqual(scanned.results);

    // The reused figures did change: 2003 H1 has one more 民间借贷 case in 源潭镇 than the 2003 round counted.
    const b2 = defaultCatalogue.find((d) => d.id === 'B2')!;
    const key = `rows | ${conditionSql(b2.formula.num, comparisonPeriods(H1_2004)[1]!)}`;
    const [stored] = await db.query<{ township_values: Record<string, string> }[]>(
      `SELECT township_values FROM indicator_run_figure WHERE run_id = $1 AND figure = $2`,
      [lastYear.runId, key],
    );
    const now = storableFigures(reused.scan, reused.figures, [1])[key]!;
    expect(Number(now['town-yuantan'])).toBe(Number(stored!.township_values['town-yuantan']) + 1);
  });

  it('when a definition changes its filters, then no stored run has its figures and all four periods are scanned', async () => {
    const definitions = (await latestDefinitions(db)).map((d) => (d.id === 'B2' ? { ...d, formula: { ...d.formula, num: { ...d.formula.num, filters: [{ field: 'cause' as const, in: ['民间借贷纠纷', '借款合同纠纷'] }] } } } : d));
    const computed = await db.transaction((tx) => computeIndicatorFigures(tx, definitions, H1_2004));
    expect(computed.reusedRun).toBeNull();
  });
});
