import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config/schema.ts';
import { personalDataKey } from '../../shared/state-files.ts';
import { byteLimit, isTooLarge, refuseDeclaredOver } from '../../shared/upload-limit.ts';
import { ValidationError, type FieldProblem } from '../../shared/errors.ts';
import { beijingDay, systemClock, type Clock } from '../../shared/time.ts';
import type { Actor } from '../actor.ts';
import { shortUnitName, unitNames } from '../display-names.ts';
import { sideTables, type SideTableName } from '../../domain/cases/side-tables.ts';
import { importCaseRecords, type Encoding, type ImportFormat, type ImportSummary } from './case-import.ts';
import { importSideTable } from './side-table-import.ts';
import { loadCoverage, recordRefusal, type ImportKind } from './coverage.ts';
import { monthsBetween } from '../../domain/cases/coverage.ts';
import type { WorkCalendar } from '../../domain/loop/working-days.ts';
import { importTemplate } from '../../domain/cases/import-templates.ts';
import { causeCatalogueFile, templateFile } from './templates.ts';

/** Most months one coverage grid shows (ten years). */
export const MAX_COVERAGE_MONTHS = 120;

type UploadOptions = { fileName: string; format: ImportFormat; encoding?: Encoding; declaredBytes?: number };

/** A refused file as one Chinese error listing every bad row (capped). */
function refused(summary: ImportSummary): ValidationError {
  return new ValidationError([
    { field: '(文件)', reason: `共 ${summary.rejected} 行有误，未导入任何数据${summary.problems.length < summary.rejected ? `（仅列出前 ${summary.problems.length} 处）` : ''}` },
    ...summary.problems.map((p) => ({ field: `第${p.line}行·${p.column}`, reason: p.reason })),
  ]);
}

/**
 * The import use case for the API and the command: the HMAC key from configuration (or the state
 * folder, never the database), the upload size limit enforced while streaming, the XLSX inflate
 * limits, and a refused file turned into a Chinese error listing every bad row (line, column,
 * reason) and recorded as refused (the report's data section lists refused files).
 */
export function createImportService(deps: { db: DataSource; config: Config; clock?: Clock; workCalendar?: WorkCalendar }) {
  const today = () => beijingDay((deps.clock ?? systemClock).now());
  const hmacKey = () => personalDataKey(deps.config);

  /** The upload, cut off with 413 once it passes the limit (declared or while streaming). */
  const limited = (body: Readable, declaredBytes: number | undefined): Readable => {
    refuseDeclaredOver(deps.config.UPLOAD_LIMIT_BYTES, declaredBytes, body);
    const guard = byteLimit(deps.config.UPLOAD_LIMIT_BYTES);
    body.on('error', (e) => guard.destroy(e));
    // The bytes flow from here on, and the importer may first wait for a connection: an upload over
    // the limit fails the guard before anyone listens. Its reader learns it from the stream's errored
    // state (readUpload's pipeline); this listener only keeps the error from being uncaught. The body
    // itself is left paused, unread: the 413 goes out and the server closes the connection.
    guard.on('error', () => undefined);
    return body.pipe(guard);
  };

  /** Runs an import; a refused file (bad rows, unreadable, too large) is recorded before its error goes back to the uploader. */
  const recorded = async (actor: Actor, kind: ImportKind, fileName: string, work: () => Promise<ImportSummary>): Promise<ImportSummary> => {
    const record = (problemCount: number, problems: FieldProblem[]) => recordRefusal(deps.db, actor, { kind, fileName, problemCount, problems });
    let summary: ImportSummary;
    try {
      summary = await work();
    } catch (error) {
      if (error instanceof ValidationError) await record(error.problems.length, error.problems);
      else if (isTooLarge(error)) await record(1, [{ field: '(文件)', reason: `文件超过上传大小上限 ${deps.config.UPLOAD_LIMIT_BYTES} 字节` }]);
      throw error;
    }
    if (summary.rejected === 0) return summary;
    const error = refused(summary);
    await record(summary.rejected, error.problems);
    throw error;
  };

  return {
    hmacKey,

    /** What a file of a data kind must look like: its columns, their formats and an example (the 数据导入 screen's guide). */
    template: importTemplate,

    /** That template as a CSV or XLSX file to fill in. */
    templateFile,

    /** The 案由 catalogue as it stands, as a CSV the 案由目录 import takes back unchanged. */
    causeCatalogueFile: () => causeCatalogueFile(deps.db),

    async importCases(actor: Actor, body: Readable, o: UploadOptions & { onProgress?: (rows: number) => void }): Promise<ImportSummary> {
      return recorded(actor, 'case_record', o.fileName, async () =>
        importCaseRecords(deps.db, limited(body, o.declaredBytes), { ...o, xlsxLimits: deps.config, hmacKey: await hmacKey(), actor, today: today() }),
      );
    },

    /** Township population or monthly 信访/舆情 counts, all or nothing, keyed by township and year or month. */
    async importSideTable(actor: Actor, table: SideTableName, body: Readable, o: UploadOptions): Promise<ImportSummary> {
      return recorded(actor, sideTables[table].table, o.fileName, () =>
        importSideTable(deps.db, sideTables[table], limited(body, o.declaredBytes), { ...o, xlsxLimits: deps.config, actor, today: today() }),
      );
    },

    /**
     * The case data's month × township coverage grid (issue 17 rule 10), township names beside
     * their ids: from `from` to `to`, or the whole years all imports reach (the last MAX_COVERAGE_MONTHS).
     */
    async coverage(o: { from?: string; to?: string }) {
      const grid = await loadCoverage(deps.db, o.from && o.to ? monthsBetween(o.from, o.to) : undefined, MAX_COVERAGE_MONTHS, deps.workCalendar);
      const names = await unitNames(deps.db);
      return { months: grid.months, townships: grid.townships.map((id) => ({ id, name: shortUnitName(names.get(id) ?? id) })), status: grid.status };
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
