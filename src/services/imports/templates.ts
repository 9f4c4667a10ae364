import type { DataSource } from 'typeorm';
import ExcelJS from '../../shared/exceljs.ts';
import { CAUSE_KINDS } from '../../domain/cases/cause-catalogue.ts';
import { importTemplate, type TemplateKind } from '../../domain/cases/import-templates.ts';
import { csvString } from '../cases/csv-files.ts';

export type TemplateFormat = 'csv' | 'xlsx';

const CONTENT_TYPES: Record<TemplateFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The header row and the example row as the importer reads them. */
const exampleRecord = (kind: TemplateKind) => Object.fromEntries(importTemplate(kind).columns.map((c) => [c.header, c.example]));

/**
 * A template workbook: the first sheet (the one the importer reads) has the headers and the
 * example row; the second explains every column and the file's rules.
 */
async function templateWorkbook(kind: TemplateKind): Promise<Buffer> {
  const template = importTemplate(kind);
  const workbook = new ExcelJS.Workbook();
  const data = workbook.addWorksheet('数据');
  data.columns = template.columns.map((c) => ({ header: c.header, key: c.key, width: Math.max(12, c.header.length * 2 + 4) }));
  data.addRow(Object.fromEntries(template.columns.map((c) => [c.key, c.example])));
  data.getRow(1).font = { bold: true };
  const guide = workbook.addWorksheet('填写说明');
  guide.columns = [
    { header: '列名', key: 'header', width: 24 },
    { header: '英文列名', key: 'key', width: 20 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '填写要求', key: 'format', width: 80 },
    { header: '示例', key: 'example', width: 28 },
  ];
  for (const c of template.columns) guide.addRow({ ...c, required: c.required ? '必填' : '选填' });
  guide.getRow(1).font = { bold: true };
  guide.addRow({});
  for (const note of template.notes) guide.addRow({ header: note });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The template of a data kind as a download: CSV (UTF-8 with BOM) or XLSX, named in Chinese. */
export async function templateFile(kind: TemplateKind, format: TemplateFormat): Promise<{ fileName: string; contentType: string; data: Buffer }> {
  const data = format === 'csv' ? Buffer.from(await csvString([exampleRecord(kind)])) : await templateWorkbook(kind);
  return { fileName: `${importTemplate(kind).label}导入模板.${format}`, contentType: CONTENT_TYPES[format], data };
}

/**
 * The 案由 catalogue as it stands, as a CSV in the 案由目录 template's layout (案由, 类别; by kind, then
 * cause): the court's data team downloads it, adds what its exports need and imports it back
 * unchanged rows and all (a re-import changes only what changed).
 */
export async function causeCatalogueFile(db: DataSource): Promise<{ fileName: string; contentType: string; data: Buffer }> {
  const template = importTemplate('causes');
  const [cause, kind] = template.columns.map((c) => c.header);
  const rows = await db.query<{ cause: string; kind: string }[]>(`SELECT cause, kind FROM cause_catalogue ORDER BY array_position($1::text[], kind), cause COLLATE "C"`, [CAUSE_KINDS]);
  const data = Buffer.from(await csvString(rows.map((r) => ({ [cause!]: r.cause, [kind!]: r.kind }))));
  return { fileName: `${template.label}.csv`, contentType: CONTENT_TYPES.csv, data };
}
