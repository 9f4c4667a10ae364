import { createWriteStream } from 'node:fs';
import { format, writeToString } from 'fast-csv';

/**
 * Generated case data as the court's CSV exports look (UTF-8 with BOM, a header row, multi-value
 * cells joined with "|"), for `npm run generate` and for tests that upload a file.
 */
const csvRecord = (row: object) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Array.isArray(v) ? v.join('|') : (v ?? '')]));

export async function writeCsvFile(file: string, rows: readonly object[]): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(file);
    const csv = format({ headers: true, writeBOM: true });
    csv.pipe(out).on('finish', resolve).on('error', reject);
    for (const row of rows) csv.write(csvRecord(row));
    csv.end();
  });
}

export const csvString = (rows: readonly object[]): Promise<string> => writeToString(rows.map(csvRecord), { headers: true, writeBOM: true });
