import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { Config } from '../../config/schema.ts';
import { shownInMessage } from '../../domain/cases/message-values.ts';
import { ValidationError } from '../../shared/errors.ts';

/**
 * An uploaded XLSX, inflated within configured limits (issue 17 rule 6). ExcelJS's streaming
 * reader unzips with `unzipper`, which inflates whatever the local headers announce — and, for an
 * entry with a data descriptor, whatever comes until a byte pattern — without any limit. So the
 * reader never sees the upload: the upload is spooled to a temporary file (within the upload
 * limit), its central directory is read with yauzl and checked (every part's declared size, the
 * total, the compression ratios) before anything inflates, and the parts ExcelJS reads are then
 * inflated by yauzl alone, each stopped at its declared size, and handed to ExcelJS as stored
 * (uncompressed) zip entries. ExcelJS thus reads exactly the parts checked here, inflated once:
 * local headers that disagree with the directory, entries the directory does not list and
 * overlapping entries inflate nothing beyond the limits; parts the reader does not use (images,
 * embedded workbooks, themes) are never inflated.
 */

export type XlsxLimits = Pick<Config, 'XLSX_INFLATE_LIMIT_BYTES' | 'XLSX_ENTRY_LIMIT_BYTES' | 'XLSX_RATIO_LIMIT'>;

/** Parts a workbook may have: a real one has tens (a thousand sheets about 2,000); each is held until read. */
const MAX_PARTS = 10_000;

/** Parts inflating to no more than this are not held to the ratio: a small part of repeated markup may compress beyond it. */
const RATIO_GRACE_BYTES = 1024 * 1024;

/**
 * The parts ExcelJS's reader uses, set up as records.ts sets it up (shared strings cached, styles
 * and hyperlinks ignored): the only parts inflated.
 */
const isReadPart = (name: string) => /^xl\/(workbook\.xml|_rels\/workbook\.xml\.rels|sharedStrings\.xml|worksheets\/sheet\d+\.xml)$/.test(name);

/** ExcelJS copies a sheet that comes before the shared strings to a temporary file of its own: sheets go last. */
const isWorksheet = (name: string) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name);

export const xlsxRefusal = (reason: string) => new ValidationError([{ field: '(文件)', reason }]);

/** Rounded up, so that a size over a limit never reads as the limit. */
const megabytes = (bytes: number) => `${Math.ceil((bytes / 1024 / 1024) * 10) / 10} MB`;
const partName = (entry: Entry) => shownInMessage(entry.fileName);

/** Inflated ÷ compressed, when over the ratio limit: a part (or the parts together, so that many small ones are no way round it) past the grace size. */
function ratioOver(limits: XlsxLimits, inflated: number, compressed: number): number | null {
  return inflated > RATIO_GRACE_BYTES && inflated > limits.XLSX_RATIO_LIMIT * compressed ? Math.round(inflated / Math.max(compressed, 1)) : null;
}

/** The first limit the central directory's declared sizes break, if any. */
function declaredOverLimit(entries: readonly Entry[], limits: XlsxLimits): ValidationError | null {
  const tooCompressed = (what: string, ratio: number) => xlsxRefusal(`${what}压缩比为 ${ratio}:1，超过上限 ${limits.XLSX_RATIO_LIMIT}:1（疑为压缩炸弹），未导入任何数据`);
  let total = 0;
  let compressed = 0;
  for (const entry of entries) {
    const size = entry.uncompressedSize;
    if (size > limits.XLSX_ENTRY_LIMIT_BYTES) {
      return xlsxRefusal(`XLSX 文件中的 ${partName(entry)} 解压后为 ${megabytes(size)}，超过单个部件的上限 ${megabytes(limits.XLSX_ENTRY_LIMIT_BYTES)}，未导入任何数据；请分成较小的文件或导出为 CSV`);
    }
    const ratio = ratioOver(limits, size, entry.compressedSize);
    if (ratio !== null) return tooCompressed(`XLSX 文件中的 ${partName(entry)} `, ratio);
    total += size;
    compressed += entry.compressedSize;
  }
  if (total > limits.XLSX_INFLATE_LIMIT_BYTES) {
    return xlsxRefusal(`XLSX 文件解压后共 ${megabytes(total)}，超过上限 ${megabytes(limits.XLSX_INFLATE_LIMIT_BYTES)}，未导入任何数据；请分成较小的文件或导出为 CSV`);
  }
  const ratio = ratioOver(limits, total, compressed);
  return ratio === null ? null : tooCompressed('XLSX 文件整体', ratio);
}

/** A local file header of a stored entry: ExcelJS's unzip reads `size` bytes after it as they are. */
function storedHeader(name: string, size: number, crc32: number): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4); // version needed to extract: 2.0
  header.writeUInt16LE(0x0800, 6); // the name is UTF-8
  header.writeUInt16LE(0, 8); // stored
  header.writeUInt32LE(crc32, 14);
  header.writeUInt32LE(size, 18);
  header.writeUInt32LE(size, 22);
  header.writeUInt16LE(nameBytes.length, 26);
  return Buffer.concat([header, nameBytes]);
}

/** An end-of-central-directory record with no directory: ExcelJS's unzip ends its entries there. */
const END_OF_ZIP = (() => {
  const record = Buffer.alloc(22);
  record.writeUInt32LE(0x06054b50, 0);
  return record;
})();

/** The parts, inflated one after the other by yauzl, each stopped as soon as it passes its declared size. */
async function* storedParts(zip: ZipFile, parts: readonly Entry[]): AsyncGenerator<Buffer> {
  for (const entry of parts) {
    yield storedHeader(entry.fileName, entry.uncompressedSize, entry.crc32);
    let inflated = 0;
    for await (const chunk of await zip.openReadStreamPromise(entry)) {
      inflated += (chunk as Buffer).length;
      if (inflated > entry.uncompressedSize) {
        throw xlsxRefusal(`XLSX 文件中的 ${partName(entry)} 解压后超过其记录的大小 ${megabytes(entry.uncompressedSize)}（文件已损坏或被篡改，疑为压缩炸弹），已停止解压，未导入任何数据`);
      }
      yield chunk as Buffer;
    }
    if (inflated < entry.uncompressedSize) throw xlsxRefusal(`XLSX 文件中的 ${partName(entry)} 已损坏（解压后小于其记录的大小）`);
  }
  yield END_OF_ZIP;
}

/**
 * The upload's workbook, checked against `limits`: `parts` is the zip ExcelJS reads (its errors
 * are the refusals met while inflating), `close` ends the inflating and removes the temporary
 * file. An upload that is no zip, or whose declared sizes break a limit, is refused here,
 * before anything inflates.
 */
export async function guardedXlsx(upload: Readable, limits: XlsxLimits): Promise<{ parts: Readable; close(): Promise<void> }> {
  const folder = await mkdtemp(path.join(tmpdir(), 'risk-loop-xlsx-'));
  const file = path.join(folder, 'upload.xlsx');
  let zip: ZipFile | undefined;
  try {
    const spool = createWriteStream(file);
    await pipeline(upload, spool);
    if (spool.bytesWritten === 0) throw xlsxRefusal('不是有效的 XLSX 文件（文件为空）');
    // Sizes are checked here and inflated bytes counted below, so yauzl's own size check is not needed.
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: false }).catch(() => {
      throw xlsxRefusal('不是有效的 XLSX 文件');
    });
    if (zip.entryCount > MAX_PARTS) throw xlsxRefusal(`XLSX 文件有 ${zip.entryCount} 个部件，超过上限 ${MAX_PARTS} 个，未导入任何数据`);
    const entries: Entry[] = [];
    try {
      for await (const entry of zip.eachEntry()) entries.push(entry);
    } catch {
      throw xlsxRefusal('不是有效的 XLSX 文件（目录已损坏）');
    }
    const refusal = declaredOverLimit(entries, limits);
    if (refusal) throw refusal;
    const read = entries.filter((e) => isReadPart(e.fileName));
    const ordered = [...read.filter((e) => !isWorksheet(e.fileName)), ...read.filter((e) => isWorksheet(e.fileName))];
    const parts = Readable.from(storedParts(zip, ordered), { objectMode: false });
    const opened = zip;
    return {
      parts,
      async close() {
        parts.destroy();
        opened.close();
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    zip?.close();
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}
