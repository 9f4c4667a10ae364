import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

/** What a reader sees of a downloaded file, as text: for scans over every file a user can get. */

const run = promisify(execFile);
const unescape = (s: string) => s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&apos;', "'").replaceAll('&amp;', '&');

/** The .docx's paragraphs (body, tables, headers and footers), one a line: runs of a paragraph joined, paragraphs and cells apart. */
export async function docxParagraphs(docx: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(docx);
  const parts = Object.keys(zip.files).filter((f) => /^word\/(document|header\d*|footer\d*|footnotes)\.xml$/.test(f));
  const lines: string[] = [];
  for (const part of parts) {
    const xml = await zip.file(part)!.async('string');
    for (const p of xml.split(/<\/w:p>/)) lines.push([...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescape(m[1]!)).join(''));
  }
  return lines.filter((l) => l.length > 0).join('\n');
}

/** The PDF's text as pdftotext reads it (poppler; the tests' machine has it, see README). */
export async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'risk-loop-scan-'));
  try {
    const file = join(dir, 'file.pdf');
    await writeFile(file, pdf);
    return (await run('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: 64 * 1024 * 1024 })).stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every cell of every sheet of an .xlsx with its header (row 1 of its column): what the export shows. */
export async function xlsxCells(xlsx: Buffer): Promise<{ sheet: string; address: string; header: string; value: string | number }[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  const cells: { sheet: string; address: string; header: string; value: string | number }[] = [];
  for (const sheet of workbook.worksheets) {
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        const v = cell.value;
        const value = typeof v === 'number' ? v : v === null || v === undefined ? '' : typeof v === 'object' && 'richText' in v ? v.richText.map((t) => t.text).join('') : String(cell.text);
        cells.push({ sheet: sheet.name, address: cell.address, header: String(sheet.getRow(1).getCell(cell.col).text), value });
      }),
    );
  }
  return cells;
}
