import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { format, writeToString } from 'fast-csv';

/**
 * Generated case data as the court's CSV exports look (UTF-8 with BOM, a header row, multi-value
 * cells joined with "|"), for `npm run generate` and for tests that upload a file.
 */
const csvRecord = (row: object) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Array.isArray(v) ? v.join('|') : (v ?? '')]));

function* csvRecords(rows: Iterable<object>): Generator<Record<string, unknown>> {
  for (const row of rows) yield csvRecord(row);
}

/**
 * Writes `rows` (an array or a generator streaming millions of cases) to `file`. The rows are
 * pulled only as fast as the file takes them (stream backpressure), so a streamed source is never
 * held in memory.
 */
export async function writeCsvFile(file: string, rows: Iterable<object>): Promise<void> {
  await pipeline(Readable.from(csvRecords(rows)), format({ headers: true, writeBOM: true }), createWriteStream(file));
}

export const csvString = (rows: readonly object[]): Promise<string> => writeToString(rows.map(csvRecord), { headers: true, writeBOM: true });
