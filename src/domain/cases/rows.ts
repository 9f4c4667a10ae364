import { caseColumns, columnFor, identityColumnFor, townshipIds, type Column } from './columns.ts';

/**
 * One imported row → a clean case record, or the reasons it is refused (line, column, reason, in
 * Chinese). Personal data never leaves this function: identity columns become a keyed HMAC and
 * are dropped, and free text that still looks like an ID or phone number is masked and counted.
 */

export interface RowProblem {
  line: number;
  column: string;
  reason: string;
}

export interface HeaderPlan {
  /** Position → column (undefined = an identity column handled separately). */
  columns: (Column | undefined)[];
  identity: { name?: number; idNumber?: number };
  dropped: string[];
  problems: RowProblem[];
}

/** Maps the header row; unknown headers and missing required columns are refused, identity columns planned. */
export function planHeader(headers: readonly string[]): HeaderPlan {
  const plan: HeaderPlan = { columns: [], identity: {}, dropped: [], problems: [] };
  headers.forEach((header, i) => {
    const identity = identityColumnFor(header);
    if (identity === 'defendant_name') plan.identity.name = i;
    else if (identity === 'defendant_id_number') plan.identity.idNumber = i;
    else if (identity === 'drop') plan.dropped.push(header.trim());
    if (identity) {
      plan.columns.push(undefined);
      return;
    }
    const column = columnFor(header);
    if (!column) plan.problems.push({ line: 1, column: header, reason: '无法识别的列名（请使用模板中的中文或英文列名）' });
    plan.columns.push(column);
  });
  for (const c of caseColumns.filter((x) => x.required)) {
    if (!plan.columns.some((x) => x?.key === c.key)) plan.problems.push({ line: 1, column: c.zh, reason: '缺少必填列' });
  }
  const seen = new Set<string>();
  for (const c of plan.columns) {
    if (c && seen.has(c.key)) plan.problems.push({ line: 1, column: c.zh, reason: '列名重复' });
    if (c) seen.add(c.key);
  }
  return plan;
}

const ID_NUMBER = /(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])/g;
const MOBILE = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g;

/** Masks what still looks like an identity-card or mobile number in free text; returns how many. */
export function maskPersonalNumbers(text: string): { text: string; masked: number } {
  let masked = 0;
  const out = text.replace(ID_NUMBER, () => (masked++, '［已脱敏］')).replace(MOBILE, () => (masked++, '［已脱敏］'));
  return { text: out, masked };
}

/** A natural person's name and ID number as `defendant_key` (a keyed HMAC, made by the caller that holds the key). */
export type IdentityKey = (name: string, idNumber: string) => string;

export type CaseRow = Record<string, string | number | boolean | string[] | null>;

function validDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const truthy = new Set(['是', 'true', '1', 'TRUE', 'True', 'Y', 'y']);
const falsy = new Set(['否', 'false', '0', 'FALSE', 'False', 'N', 'n']);

export function parseRow(
  cells: readonly string[],
  line: number,
  plan: HeaderPlan,
  identityKey: IdentityKey,
): { row: CaseRow; masked: number } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const row: CaseRow = Object.fromEntries(caseColumns.map((c) => [c.key, c.type === 'multi' ? [] : null]));
  let masked = 0;
  plan.columns.forEach((column, i) => {
    if (!column) return;
    const raw = (cells[i] ?? '').trim();
    const problem = (reason: string) => problems.push({ line, column: column.zh, reason });
    if (raw === '') {
      if (column.required) problem('必填');
      return;
    }
    switch (column.type) {
      case 'date':
        if (!validDate(raw)) problem(`日期无效：${raw}（应为 YYYY-MM-DD 的真实日期）`);
        else row[column.key] = raw;
        break;
      case 'int':
        if (!/^\d+$/.test(raw)) problem(`应为非负整数：${raw}`);
        else row[column.key] = Number(raw);
        break;
      case 'decimal':
        if (!/^-?\d+(\.\d{1,2})?$/.test(raw)) problem(`应为金额（元，最多两位小数）：${raw}`);
        else if (Number(raw) < 0) problem(`金额不能为负数：${raw}`);
        else row[column.key] = Number(raw);
        break;
      case 'bool':
        if (truthy.has(raw)) row[column.key] = true;
        else if (falsy.has(raw)) row[column.key] = false;
        else problem(`应为“是”或“否”：${raw}`);
        break;
      case 'enum':
        if (!column.values!.includes(raw)) problem(`不在取值范围内：${raw}`);
        else row[column.key] = raw;
        break;
      case 'multi': {
        const values = raw.split('|').map((v) => v.trim()).filter(Boolean);
        const bad = values.find((v) => !column.values!.includes(v));
        if (bad) problem(`不在取值范围内：${bad}`);
        else row[column.key] = values;
        break;
      }
      case 'township': {
        const id = townshipIds.get(raw);
        if (!id) problem(`不是唐河县的乡镇（街道）：${raw}`);
        else row[column.key] = id;
        break;
      }
      case 'text': {
        const clean = maskPersonalNumbers(raw);
        masked += clean.masked;
        row[column.key] = clean.text;
      }
    }
  });
  if (row.filing_date && row.closing_date && String(row.closing_date) < String(row.filing_date)) {
    problems.push({ line, column: '结案日期', reason: '结案日期早于立案日期' });
  }
  const name = plan.identity.name !== undefined ? (cells[plan.identity.name] ?? '').trim() : '';
  const idNumber = plan.identity.idNumber !== undefined ? (cells[plan.identity.idNumber] ?? '').trim() : '';
  if (name || idNumber) row.defendant_key = identityKey(name, idNumber);
  return problems.length ? { problems } : { row, masked };
}
