import { caseColumns } from '../../domain/cases/columns.ts';
import type { CaseRow } from '../../domain/cases/rows.ts';

/**
 * Case rows as the lines of PostgreSQL's COPY text format, gathered into chunks: the bytes the
 * row thread (case-rows-thread.entry.ts) hands to the importer for case_record or its staging table.
 */

export const caseKeys = caseColumns.map((c) => c.key);

export type CopyTarget = 'case_record' | 'case_staging';

export interface CopyChunk {
  target: CopyTarget;
  bytes: Uint8Array;
}

/**
 * Rows go to COPY in chunks of about 64 KiB: one CopyData message per row costs more than parsing
 * it, and a file that mixes new and stored rows switches between the two COPY statements at most
 * once per chunk. (128 and 256 KiB measured no faster at 1 M rows and held 7–55 MB more.)
 */
export const COPY_CHUNK_BYTES = 64 * 1024;

/**
 * A chunk being filled: each row's COPY line is written into a Buffer as UTF-8 as it comes. A
 * chunk built as one string and converted at the end cost five times more (a long string of
 * Chinese text through Buffer.from: a fifth of the import's CPU time in a profile).
 */
export class CopyChunkBuffer {
  private bytes = Buffer.allocUnsafeSlow(2 * COPY_CHUNK_BYTES);
  length = 0;

  append(line: string): void {
    // UTF-8 takes at most three bytes per UTF-16 unit; a rare long row grows the buffer.
    if (this.length + line.length * 3 > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.bytes.length, this.length + line.length * 3));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    this.length += this.bytes.write(line, this.length);
  }

  /**
   * The chunk so far, in a memory block of its own (allocUnsafeSlow: never a slice of Node's shared
   * pool), so it can be transferred to another thread; this buffer starts a new one.
   */
  take(): Uint8Array {
    const chunk = new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.length);
    this.bytes = Buffer.allocUnsafeSlow(2 * COPY_CHUNK_BYTES);
    this.length = 0;
    return chunk;
  }
}

const COPY_SPECIAL = /[\\\t\n\r]/;
// Most cells have none of COPY's special characters; testing first spares four replaces per cell.
const esc = (v: string) => (COPY_SPECIAL.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v);
const arrayLiteral = (values: readonly string[]) => `{${values.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/**
 * A list's COPY text, by list: the parser hands every row the same frozen list for the same cell
 * (rows.ts), so a file's few combinations are laid out once each.
 */
const listTexts = new WeakMap<readonly string[], string>();
function listText(values: readonly string[]): string {
  let text = listTexts.get(values);
  if (text === undefined) listTexts.set(values, (text = esc(arrayLiteral(values))));
  return text;
}

/**
 * Which columns' values can hold COPY's special characters: text only. Every other value was
 * checked against a form with none (a date, a number, a vocabulary, a township id), so its test is spared.
 */
const mayNeedEscape = caseColumns.map((c) => c.type === 'text');

/** COPY text format: tabs, newlines and backslashes escaped; NULL as \N; arrays as PostgreSQL literals; `last` is the line, or the file id and line. */
export function copyLine(row: CaseRow, last: string): string {
  let line = '';
  for (let i = 0; i < caseKeys.length; i++) {
    const v = row[caseKeys[i]!] ?? null;
    const text = v === null ? '\\N' : Array.isArray(v) ? listText(v) : mayNeedEscape[i] ? esc(v as string) : String(v);
    line += i ? `\t${text}` : text;
  }
  return `${line}\t${last}\n`;
}

/** The escapes of COPY TO's text format (backslash and six control characters), undone. */
const COPY_OUT_ESCAPES: Record<string, string> = { '\\': '\\', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
export const unescapeCopyText = (v: string) => (v.includes('\\') ? v.replace(/\\([\\bfnrtv])/g, (_, c: string) => COPY_OUT_ESCAPES[c]!) : v);
