import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config/schema.ts';
import { stateSecretFile } from '../../shared/state-files.ts';
import { byteLimit, refuseDeclaredOver } from '../../shared/upload-limit.ts';
import { ValidationError } from '../../shared/errors.ts';
import { beijingDay, systemClock, type Clock } from '../../shared/time.ts';
import type { Actor } from '../actor.ts';
import { sideTables, type SideTableName } from '../../domain/cases/side-tables.ts';
import { importCaseRecords, type Encoding, type ImportFormat, type ImportSummary } from './case-import.ts';
import { importSideTable } from './side-table-import.ts';

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
 * limits, and a refused file turned into a Chinese error listing every bad row (line, column, reason).
 */
export function createImportService(deps: { db: DataSource; config: Config; clock?: Clock }) {
  const today = () => beijingDay((deps.clock ?? systemClock).now());
  const hmacKey = () => (deps.config.PERSONAL_DATA_HMAC_KEY ? Promise.resolve(deps.config.PERSONAL_DATA_HMAC_KEY) : stateSecretFile(deps.config.STATE_DIR, 'personal-data-hmac-key'));

  /** The upload, cut off with 413 once it passes the limit (declared or while streaming). */
  const limited = (body: Readable, declaredBytes: number | undefined): Readable => {
    refuseDeclaredOver(deps.config.UPLOAD_LIMIT_BYTES, declaredBytes, body);
    const guard = byteLimit(deps.config.UPLOAD_LIMIT_BYTES);
    body.on('error', (e) => guard.destroy(e));
    return body.pipe(guard);
  };

  return {
    hmacKey,

    async importCases(actor: Actor, body: Readable, o: UploadOptions & { onProgress?: (rows: number) => void }): Promise<ImportSummary> {
      const summary = await importCaseRecords(deps.db, limited(body, o.declaredBytes), { ...o, xlsxLimits: deps.config, hmacKey: await hmacKey(), actor, today: today() });
      if (summary.rejected > 0) throw refused(summary);
      return summary;
    },

    /** Township population or monthly 信访/舆情 counts, all or nothing, keyed by township and year or month. */
    async importSideTable(actor: Actor, table: SideTableName, body: Readable, o: UploadOptions): Promise<ImportSummary> {
      const summary = await importSideTable(deps.db, sideTables[table], limited(body, o.declaredBytes), { ...o, xlsxLimits: deps.config, actor, today: today() });
      if (summary.rejected > 0) throw refused(summary);
      return summary;
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
