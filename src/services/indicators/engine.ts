import type { DataSource } from 'typeorm';
import { monthsBetween } from '../../domain/cases/coverage.ts';
import { compileCaseScan, compileMaxPerKey, compileSignalScan, comparisonPeriods, type CompiledScan, type Period, type ScanFigure } from '../../domain/indicators/compile.ts';
import { CHANGE_WEIGHT, changesSince, CURRENT_DATA, dataAsOf } from '../../domain/indicators/data-sources.ts';
import { addFigures, caseScanRows, figureTable, storableFigures, tableOfStored, type FigureTable } from '../../domain/indicators/figures.ts';
import { definitionSchema, type IndicatorDefinition, type VersionedDefinition } from '../../domain/indicators/definition.ts';
import { COUNTY, evaluateScan, noticeRecipients, type IndicatorResult, type ScanRow } from '../../domain/indicators/evaluate.ts';
import { comparableYears } from '../../domain/indicators/history.ts';
import { compareIndicatorCodes, indicatorLabel } from '../../domain/indicators/labels.ts';
import { assessLevel } from '../../domain/indicators/levels.ts';
import { createHash } from 'node:crypto';
import { ERROR_CODES } from '../../engine/contract.ts';
import { BusinessRuleError, NotFoundError } from '../../shared/errors.ts';
import { parseOrThrow } from '../../shared/zod-problems.ts';
import { systemActor, type Actor } from '../actor.ts';
import { writeAudit, type Queryable } from '../audit.ts';
import { loadCoverage } from '../imports/coverage.ts';
import { reasonFor } from '../small-cells.ts';
import { dataChecksum } from './run-check.ts';
import type { WorkCalendar } from '../../domain/loop/working-days.ts';

/**
 * The indicator engine (policy 第六条, DOMAIN.md §2): computes every enabled indicator for a
 * period, county-wide and per township, in SQL; stores the results per run with the definition
 * versions and the import files behind them; answers who gets a notice, and what a changed
 * threshold would change (what-if) from the stored observations without touching case rows.
 */

export interface RunSummary {
  runId: string;
  roundId: string | null;
  period: Period;
  definitions: { id: string; version: number }[];
  importFiles: string[];
  highRiskIndicatorCount: number;
  recipients: { departmentId: string; indicatorIds: string[] }[];
}

type ValueRow = {
  id: string;
  indicator_id: string;
  version: number;
  region: string;
  value: string | null;
  n: number;
  previous: string | null;
  base: string | null;
  comparable: string | null;
  rate_per_10k: string | null;
  max_per_key: number | null;
  yoy: string | null;
  ratio: string | null;
  level: IndicatorResult['level'];
  reason: string;
  /** Set when a joint meeting re-assessed the level (第十条(二); level_reassessment). */
  reassessed_level?: IndicatorResult['level'] | null;
  reassessed_by?: string | null;
  reassessment_analysis?: string | null;
};

/** A stored figure as the round's readers see it: the joint meeting's level, where it set one, over the computed one. */
export type StoredResult = IndicatorResult & {
  valueId: string;
  version: number;
  /** The level the engine computed (what a recompute reproduces). */
  computedLevel: IndicatorResult['level'];
  reassessment: { meetingId: string; analysis: string } | null;
};

const num = (v: string | null) => (v === null ? null : Number(v));

export function toResult(r: ValueRow): StoredResult {
  return {
    valueId: r.id,
    version: r.version,
    indicatorId: r.indicator_id,
    region: r.region,
    scope: r.region === COUNTY ? 'county' : 'township',
    value: num(r.value),
    n: r.n,
    previous: num(r.previous),
    base: num(r.base),
    comparable: num(r.comparable),
    ratePer10k: num(r.rate_per_10k),
    maxPerKey: r.max_per_key,
    yoy: num(r.yoy),
    ratio: num(r.ratio),
    level: r.reassessed_level ?? r.level,
    reason: r.reason,
    computedLevel: r.level,
    reassessment: r.reassessed_level && r.reassessed_by ? { meetingId: r.reassessed_by, analysis: r.reassessment_analysis ?? '' } : null,
  };
}

const usedVersions = (definitions: readonly VersionedDefinition[]) => definitions.filter((d) => d.enabled).map((d) => ({ id: d.id, version: d.version }));

/** Every imported file behind the case data, oldest first (the data a run used). */
async function importFiles(q: Queryable): Promise<string[]> {
  return (await q.query<{ sha256: string }[]>(`SELECT sha256 FROM import_file ORDER BY imported_at, sha256`)).map((r) => r.sha256);
}

export async function latestDefinitions(q: Queryable): Promise<VersionedDefinition[]> {
  const rows = await q.query<{ version: number; definition: IndicatorDefinition }[]>(
    `SELECT DISTINCT ON (id) version, definition FROM indicator_definition ORDER BY id, version DESC`,
  );
  return rows.map((r) => ({ ...r.definition, version: r.version })).sort(byCatalogueOrder);
}

async function definitionVersions(q: Queryable, versions: { id: string; version: number }[]): Promise<VersionedDefinition[]> {
  const rows = await q.query<{ version: number; definition: IndicatorDefinition }[]>(
    `SELECT d.version, d.definition FROM indicator_definition d JOIN jsonb_to_recordset($1::jsonb) AS v(id text, version int) ON v.id = d.id AND v.version = d.version`,
    [JSON.stringify(versions)],
  );
  return rows.map((r) => ({ ...r.definition, version: r.version })).sort(byCatalogueOrder);
}

const byCatalogueOrder = (a: { id: string }, b: { id: string }) => compareIndicatorCodes(a.id, b.id);

/**
 * Planner settings for the case scan (compile.ts), local to the caller's transaction and restored
 * after it: PostgreSQL cannot estimate how few groups the scan's period columns make and would sort
 * every row instead of hashing a few hundred groups; and JIT-compiling its fifty-odd aggregate
 * expressions takes longer than the scan itself (3.5 s against 0.85 s over 1 M rows, measured).
 */
const SCAN_SETTINGS = { enable_sort: 'off', jit: 'off' } as const;

async function withScanSettings<T>(tx: Queryable, work: () => Promise<T>): Promise<T> {
  const names = Object.keys(SCAN_SETTINGS) as (keyof typeof SCAN_SETTINGS)[];
  const set = (values: Record<string, string>) => tx.query(`SELECT ${names.map((n, i) => `set_config('${n}', $${i + 1}, true)`).join(', ')}`, names.map((n) => values[n]));
  const [before] = await tx.query<Record<string, string>[]>(`SELECT ${names.map((n) => `current_setting('${n}') AS ${n}`).join(', ')}`);
  await set(SCAN_SETTINGS);
  const result = await work();
  // A failed scan aborts the transaction, and its local settings go with it.
  await set(before!);
  return result;
}

/**
 * The newest run stored under today's schema with every figure `needed` (the history periods of a
 * scan), and those figures; null when there is none, or when the imports since wrote more than
 * half as many rows as the case table has (reading that many changes would cost about what
 * scanning the periods does). Both counts come from the imports' own tallies: no case row is read.
 */
async function reusableFigures(q: Queryable, needed: readonly ScanFigure[]): Promise<{ runId: string; stored: Map<string, Record<string, string>> } | null> {
  const hashes = needed.map((f) => figureKeyHash(f.key));
  const [run] = await q.query<{ id: string; changed: number; rows: number }[]>(
    `SELECT r.id,
            (SELECT coalesce(sum(rows_inserted + rows_updated), 0) FROM import_file WHERE kind = 'case_record' AND NOT (id = ANY (r.data_files)))::float8 AS changed,
            (SELECT coalesce(sum(rows_inserted), 0) FROM import_file WHERE kind = 'case_record')::float8 AS rows
       FROM indicator_run r
      WHERE r.figures_schema = (SELECT max(timestamp) FROM schema_migrations)
        AND (SELECT count(*) FROM indicator_run_figure f WHERE f.run_id = r.id AND f.figure_key = ANY ($1)) = $2
      ORDER BY r.computed_at DESC LIMIT 1`,
    [hashes, hashes.length],
  );
  if (!run || run.changed > run.rows / 2) return null;
  const rows = await q.query<{ figure_key: string; township_values: Record<string, string> }[]>(
    `SELECT figure_key, township_values FROM indicator_run_figure WHERE run_id = $1 AND figure_key = ANY ($2)`,
    [run.id, hashes],
  );
  const byHash = new Map(rows.map((r) => [r.figure_key, r.township_values]));
  return { runId: run.id, stored: new Map(needed.map((f) => [f.key, byHash.get(figureKeyHash(f.key))!])) };
}

const figureKeyHash = (key: string) => createHash('sha256').update(key).digest('hex');

/** What computeCaseFigures gives: the results, the case figures behind them, and the run whose history figures it reused. */
export interface ComputedIndicators {
  results: IndicatorResult[];
  scan: CompiledScan;
  figures: FigureTable;
  reusedRun: string | null;
}

/**
 * Computes the enabled definitions over the case data; nothing is stored. `tx` is a transaction (the scan's settings are local to it).
 * `asOf`: a past run, whose data is read as it stood after exactly the imports it saw (data-sources.ts).
 * On today's data the three earlier periods come from the newest stored run that has them, plus
 * the rows changed since (`history: 'scan'` reads them from the rows instead): only the period
 * itself is scanned. The case tables are locked against imports meanwhile, so the reads agree.
 */
export async function computeIndicatorFigures(
  tx: Queryable,
  definitions: readonly VersionedDefinition[],
  period: Period,
  o: { calendar?: WorkCalendar; asOf?: string; history?: 'reuse' | 'scan' } = {},
): Promise<ComputedIndicators> {
  const enabled = definitions.filter((d) => d.enabled);
  const sources = o.asOf ? dataAsOf(o.asOf) : CURRENT_DATA;
  const scan = compileCaseScan(enabled, period, { source: sources.cases });
  const history = o.asOf || o.history === 'scan' ? null : await reusableFigures(tx, scan.figures.filter((f) => f.k > 0));
  // Before any case data is read: an import waits (it never holds what this waits for).
  if (history) await tx.query(`LOCK TABLE case_record IN SHARE MODE`);
  const signals = compileSignalScan(period, sources.signals);
  const periods = comparisonPeriods(period);
  // The case data's coverage from the earliest comparison period to the period itself: which earlier years count.
  const coverage = await loadCoverage(tx, monthsBetween(periods[3]!.start.slice(0, 7), period.end.slice(0, 7)), Infinity, o.calendar, o.asOf);
  const townships = coverage.townships;
  const populationRows = await tx.query<{ township: string; resident_population: number }[]>(
    `SELECT DISTINCT ON (township) township, resident_population FROM ${sources.population} WHERE year <= $1 ORDER BY township, year DESC`,
    [Number(period.end.slice(0, 4))],
  );
  const maxPerKey = new Map<string, Map<string, number>>();
  for (const d of enabled) {
    for (const rule of d.floors) {
      if (rule.when !== 'max_per_key_gte') continue;
      const rows = await tx.query<{ township: string | null; max_n: number }[]>(compileMaxPerKey(d, rule, period, sources.cases));
      // The county has a figure even when no row has a key (0); a township without such rows has none.
      maxPerKey.set(d.id, new Map([[COUNTY, 0], ...rows.map((r) => [r.township ?? COUNTY, r.max_n] as const)]));
    }
  }
  const scanned = async (sql: string) => figureTable(await withScanSettings(tx, () => tx.query<Record<string, unknown>[]>(sql)));
  const figures = history
    ? addFigures(
        await scanned(compileCaseScan(enabled, period, { periods: [0] }).sql),
        tableOfStored(scan, history.stored),
        await scanned(compileCaseScan(enabled, period, { source: changesSince(history.runId), periods: [1, 2, 3], weight: CHANGE_WEIGHT }).sql),
      )
    : await scanned(scan.sql);
  const results = evaluateScan(enabled, {
    caseRows: caseScanRows(scan, figures),
    caseColumns: scan.columns,
    signalRows: await tx.query<ScanRow[]>(signals.sql),
    maxPerKey,
    population: new Map(populationRows.map((r) => [r.township, r.resident_population])),
    townships,
    comparableYears: comparableYears(coverage, periods.slice(1)),
  });
  return { results, scan, figures, reusedRun: history?.runId ?? null };
}

/** The results of computeIndicatorFigures. */
export async function computeIndicators(tx: Queryable, definitions: readonly VersionedDefinition[], period: Period, calendar?: WorkCalendar, asOf?: string): Promise<IndicatorResult[]> {
  return (await computeIndicatorFigures(tx, definitions, period, { calendar, asOf })).results;
}

/** A changed band, floor or guard of one indicator, for a what-if. */
export interface WhatIfChange {
  indicatorId: string;
  definition: Partial<Pick<IndicatorDefinition, 'bands' | 'floors' | 'minN'>>;
}

/** `calendar`: the county's working days (HOLIDAYS_FILE), which decide whether a month's case data is complete. */
export function createIndicatorService(db: DataSource, calendar?: WorkCalendar) {
  async function storeRun(
    q: Queryable,
    actor: Actor,
    o: {
      roundId: string | null;
      period: Period;
      definitions: readonly VersionedDefinition[];
      results: readonly IndicatorResult[];
      /** The case figures of the four periods (figures.ts), for later rounds to reuse. */
      figures: Record<string, Record<string, string>>;
      files: string[];
      fingerprint: string;
      data: { cases: number; checksum: string };
    },
  ): Promise<string> {
    const used = usedVersions(o.definitions);
    const files = o.files;
    const [run] = await q.query<{ id: string }[]>(
      `INSERT INTO indicator_run (round_id, fingerprint, period_start, period_end, definitions, import_files, computed_by, data_cases, data_checksum, data_files, figures_schema)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ARRAY(SELECT id FROM import_file), (SELECT max(timestamp) FROM schema_migrations)) RETURNING id`,
      [o.roundId, o.fingerprint, o.period.start, o.period.end, JSON.stringify(used), files, actor.username, o.data.cases, o.data.checksum],
    );
    await q.query(
      `INSERT INTO indicator_run_figure (run_id, figure_key, figure, township_values)
       SELECT $1, r.key_hash, r.figure, r.township_values FROM jsonb_to_recordset($2::jsonb) AS r(key_hash text, figure text, township_values jsonb)`,
      [run!.id, JSON.stringify(Object.entries(o.figures).map(([figure, values]) => ({ key_hash: figureKeyHash(figure), figure, township_values: values })))],
    );
    const versionOf = new Map(used.map((u) => [u.id, u.version]));
    // One multi-row insert per run (≈ 35 indicators × 24 regions): jsonb_to_recordset keeps it one round trip.
    await q.query(
      `INSERT INTO indicator_value (run_id, indicator_id, version, region, value, n, previous, base, comparable, rate_per_10k, max_per_key, yoy, ratio, level, reason)
       SELECT $1, r.indicator_id, r.version, r.region, r.value, r.n, r.previous, r.base, r.comparable, r.rate_per_10k, r.max_per_key, r.yoy, r.ratio, r.level, r.reason
       FROM jsonb_to_recordset($2::jsonb) AS r(indicator_id text, version int, region text, value numeric, n int, previous numeric, base numeric, comparable numeric,
         rate_per_10k numeric, max_per_key int, yoy numeric, ratio numeric, level text, reason text)`,
      [
        run!.id,
        JSON.stringify(
          o.results.map((r) => ({
            indicator_id: r.indicatorId,
            version: versionOf.get(r.indicatorId),
            region: r.region,
            value: r.value,
            n: r.n,
            previous: r.previous,
            base: r.base,
            comparable: r.comparable,
            rate_per_10k: r.ratePer10k,
            max_per_key: r.maxPerKey,
            yoy: r.yoy,
            ratio: r.ratio,
            level: r.level,
            reason: r.reason,
          })),
        ),
      ],
    );
    await writeAudit(q, actor, { action: 'indicator_run.compute', entityType: 'indicator_run', entityId: run!.id, after: { roundId: o.roundId, period: o.period, definitions: used, importFiles: files } });
    return run!.id;
  }

  async function summary(q: Queryable, runId: string): Promise<RunSummary> {
    const [run] = await q.query<{ id: string; round_id: string | null; period_start: string; period_end: string; definitions: { id: string; version: number }[]; import_files: string[] }[]>(
      `SELECT id, round_id, to_char(period_start, 'YYYY-MM-DD') AS period_start, to_char(period_end, 'YYYY-MM-DD') AS period_end, definitions, import_files FROM indicator_run WHERE id = $1`,
      [runId],
    );
    if (!run) throw new NotFoundError('指标计算批次不存在');
    const definitions = await definitionVersions(q, run.definitions);
    const results = (await q.query<ValueRow[]>(`SELECT * FROM indicator_value WHERE run_id = $1`, [runId])).map(toResult);
    const highIds = new Set(results.filter((r) => r.region === COUNTY && (r.level === 'high' || r.level === 'critical')).map((r) => r.indicatorId));
    return {
      runId: run.id,
      roundId: run.round_id,
      period: { start: run.period_start, end: run.period_end },
      definitions: run.definitions,
      importFiles: run.import_files,
      highRiskIndicatorCount: highIds.size,
      recipients: noticeRecipients(definitions, results),
    };
  }

  return {
    latestDefinitions: () => latestDefinitions(db),

    /**
     * The round's run: computed once per state of the data and definitions. A redelivered job gets
     * the same run; a recompute after the court imported more data or an admin changed a
     * definition gives a new run (the old one stays, with what it used).
     */
    async computeRound(actor: Actor, roundId: string, period: Period): Promise<RunSummary> {
      const runId = await db.transaction(async (tx) => {
        // Serialises concurrent deliveries of the same round: the second waits, then finds the run.
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext('indicator_run:' || $1))`, [roundId]);
        // No import lands while the run reads: its checksum, its scan and the files it records as seen agree.
        await tx.query(`LOCK TABLE case_record, township_signal, township_population IN SHARE MODE`);
        const definitions = await latestDefinitions(tx);
        const files = await importFiles(tx);
        const fingerprint = createHash('sha256').update(JSON.stringify({ period, files, used: usedVersions(definitions) })).digest('hex');
        const again = await tx.query<{ id: string }[]>(`SELECT id FROM indicator_run WHERE round_id = $1 AND fingerprint = $2`, [roundId, fingerprint]);
        if (again[0]) return again[0].id;
        const [{ cases }] = await tx.query<{ cases: number }[]>(
          `SELECT count(*)::int AS cases FROM (SELECT 1 FROM case_record WHERE filing_date BETWEEN $1 AND $2 LIMIT 1) c`,
          [period.start, period.end],
        );
        if (cases === 0) throw new BusinessRuleError(ERROR_CODES.noCaseData, `${period.start} 至 ${period.end} 没有已导入的案件数据`);
        // Taken just before the scan (an import landing in between would later read as a change, never hide one).
        const data = await dataChecksum(tx, period);
        const computed = await computeIndicatorFigures(tx, definitions, period, { calendar });
        const figures = storableFigures(computed.scan, computed.figures, [0, 1, 2, 3]);
        return storeRun(tx, actor, { roundId, period, definitions, results: computed.results, figures, files, fingerprint, data });
      });
      return summary(db, runId);
    },

    summary: (runId: string) => summary(db, runId),

    /** A run's stored figures, with the levels a joint meeting re-assessed in place of the computed ones. */
    async results(runId: string): Promise<StoredResult[]> {
      return (
        await db.query<ValueRow[]>(
          `SELECT v.*, x.reassessed_level, x.meeting_id AS reassessed_by, x.analysis AS reassessment_analysis
             FROM indicator_value v LEFT JOIN level_reassessment x ON x.run_id = v.run_id AND x.indicator_id = v.indicator_id AND x.region = v.region
            WHERE v.run_id = $1 ORDER BY v.indicator_id, v.region`,
          [runId],
        )
      ).map(toResult);
    },

    /** Recomputes a stored run with the definition versions it used: the same data gives the same numbers. */
    async recompute(runId: string, data: 'as_run' | 'today'): Promise<{ results: IndicatorResult[]; asRun: boolean }> {
      const [run] = await db.query<{ period_start: string; period_end: string; definitions: { id: string; version: number }[]; data_files: string[] | null }[]>(
        `SELECT to_char(period_start, 'YYYY-MM-DD') AS period_start, to_char(period_end, 'YYYY-MM-DD') AS period_end, definitions, data_files FROM indicator_run WHERE id = $1`,
        [runId],
      );
      if (!run) throw new NotFoundError('指标计算批次不存在');
      // A run stored before row versions were kept has no record of what it saw: only today's data can be read.
      const asOf = data === 'as_run' && run.data_files ? runId : undefined;
      const results = await this.evaluate(await definitionVersions(db, run.definitions), { start: run.period_start, end: run.period_end }, asOf);
      return { results, asRun: asOf !== undefined };
    },

    /** The figures of `definitions` for a period, computed and not stored (a topic report's earlier periods, a past run's check); `asOf` as computeIndicators. */
    evaluate(definitions: readonly VersionedDefinition[], period: Period, asOf?: string): Promise<IndicatorResult[]> {
      return db.transaction((tx) => computeIndicators(tx, definitions, period, calendar, asOf));
    },

    /**
     * What-if: the stored observations of a run judged with changed bands, floors or guard, and
     * the notice list that would follow — before leaders approve (nothing is stored).
     */
    async whatIf(runId: string, changes: WhatIfChange[], reader: Actor = systemActor) {
      const before = await summary(db, runId);
      const definitions = await definitionVersions(db, before.definitions);
      const changed = definitions.map((d) => {
        const change = changes.find((c) => c.indicatorId === d.id);
        if (!change) return d;
        const { version, ...current } = d;
        return { ...parseOrThrow(definitionSchema, { ...current, ...change.definition }, `changes.${d.id}`), version };
      });
      const unknown = changes.find((c) => !definitions.some((d) => d.id === c.indicatorId));
      if (unknown) throw new NotFoundError(`指标 ${unknown.indicatorId} 不在本批次中`);
      const stored = await this.results(runId);
      const rejudged = stored.map((r) => {
        const d = changed.find((x) => x.id === r.indicatorId)!;
        return { ...r, ...assessLevel(d, r) };
      });
      const after = noticeRecipients(changed, rejudged);
      const key = (x: { departmentId: string }) => x.departmentId;
      const names = new Map(changed.map((d) => [d.id, d.name]));
      return {
        before: before.recipients,
        after,
        added: after.filter((a) => !before.recipients.some((b) => key(b) === key(a))).map(key),
        removed: before.recipients.filter((b) => !after.some((a) => key(a) === key(b))).map(key),
        changedLevels: rejudged
          .filter((r) => stored.find((s) => s.indicatorId === r.indicatorId && s.region === r.region)!.computedLevel !== r.level)
          // The reason is in words over court data: outside the court its small counts read "<5" (第二十条).
          .map((r) => ({
            indicatorId: r.indicatorId,
            indicator: indicatorLabel(r.indicatorId, names),
            region: r.region,
            level: r.level,
            reason: reasonFor(reader, r, changed.find((d) => d.id === r.indicatorId)?.unit),
          })),
      };
    },

    /** What-if over a round's run (see whatIf); its answer derives from case data, so it is audited (第二十条). */
    async whatIfForRound(actor: Actor, roundId: string, changes: WhatIfChange[]) {
      const [round] = await db.query<{ indicator_run_id: string | null }[]>(`SELECT indicator_run_id FROM assessment_round WHERE id = $1`, [roundId]);
      if (!round?.indicator_run_id) throw new NotFoundError('评估轮次不存在或尚未计算指标');
      const answer = await this.whatIf(round.indicator_run_id, changes, actor);
      await writeAudit(db, actor, {
        action: 'round.what_if',
        entityType: 'assessment_round',
        entityId: roundId,
        departmentId: actor.departmentId,
        after: { indicators: changes.map((c) => c.indicatorId), changedLevels: answer.changedLevels.length },
      });
      return answer;
    },

    /** Every version of one definition, newest first, or the latest of each in catalogue order (A1 … F4), with who made it. */
    async versions(id?: string) {
      const columns = `id, version, definition, created_by AS "createdBy", created_at AS "createdAt"`;
      if (id) return db.query(`SELECT ${columns} FROM indicator_definition WHERE id = $1 ORDER BY version DESC`, [id]);
      const latest = await db.query<{ id: string }[]>(`SELECT DISTINCT ON (id) ${columns} FROM indicator_definition ORDER BY id, version DESC`);
      return latest.sort(byCatalogueOrder);
    },

    /** A new version of one definition (admins): never an overwrite, the old version stays for past runs. */
    async saveDefinition(actor: Actor, input: unknown): Promise<{ id: string; version: number }> {
      const definition = parseOrThrow(definitionSchema, input, '');
      return db.transaction(async (tx) => {
        const [{ version }] = await tx.query<{ version: number }[]>(
          `SELECT coalesce(max(version), 0) + 1 AS version FROM indicator_definition WHERE id = $1`,
          [definition.id],
        );
        await tx.query(`INSERT INTO indicator_definition (id, version, definition, created_by) VALUES ($1, $2, $3, $4)`, [
          definition.id,
          version,
          JSON.stringify(definition),
          actor.username,
        ]);
        await writeAudit(tx, actor, { action: 'indicator_definition.version', entityType: 'indicator_definition', entityId: `${definition.id}@${version}`, after: definition });
        return { id: definition.id, version };
      });
    },
  };
}

export type IndicatorService = ReturnType<typeof createIndicatorService>;
