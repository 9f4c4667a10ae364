import { CASE_NUMBER_FORMAT_HINT, caseNumberAgrees, caseNumberDisagreements, parseCaseNumber } from './case-number.ts';
import { caseColumns, DEFAULT_MAX_CELL_CHARS, headerLookup, holdsNames, identityColumnFor, townshipIds, type Column } from './columns.ts';
import { MASK, shownInMessage } from './message-values.ts';
import type { CauseCatalogue } from './cause-catalogue.ts';

/**
 * One imported row → a clean case record, or the reasons it is refused (line, column, reason, in
 * Chinese). Personal data never leaves this function: identity columns become a keyed HMAC and
 * are dropped, and text is masked of what still looks like an ID or phone number and of the names
 * the file's name columns give (FileNames), each masking counted.
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
  /** Positions of every identity and dropped column: their cells are masked wherever a message would show them. */
  personal: number[];
  /** Positions of the identity columns that hold names: masked in the row's free text too. */
  names: number[];
  dropped: string[];
  problems: RowProblem[];
  /** Every column of the set empty (multi-value columns as empty lists); each row starts as a copy. */
  empty: CaseRow;
}

/**
 * Maps the header row onto a column set (the case record's, or a side table's); unknown headers
 * and missing required columns are refused, identity columns planned (whatever the file: a
 * person's identity is never stored). Their reasons point to the template of `templateLabel`, the
 * one the 数据导入 screen offers for this data (src/domain/cases/import-templates.ts).
 */
export function planHeader(headers: readonly string[], columnSet: readonly Column[] = caseColumns, templateLabel = '案件数据'): HeaderPlan {
  const template = `「${templateLabel}导入模板」`;
  const columnFor = headerLookup(columnSet);
  const empty: CaseRow = Object.fromEntries(columnSet.map((c) => [c.key, c.type === 'multi' ? Object.freeze([]) : null]));
  const plan: HeaderPlan = { columns: [], identity: {}, personal: [], names: [], dropped: [], problems: [], empty };
  headers.forEach((header, i) => {
    const identity = identityColumnFor(header);
    if (identity === 'defendant_name') plan.identity.name = i;
    else if (identity === 'defendant_id_number') plan.identity.idNumber = i;
    else if (identity === 'drop') plan.dropped.push(header.trim());
    if (identity) {
      plan.personal.push(i);
      if (holdsNames(header)) plan.names.push(i);
      plan.columns.push(undefined);
      return;
    }
    const column = columnFor(header);
    // A header is a cell too: a row of data pasted above the header must not be echoed whole.
    if (!column) plan.problems.push({ line: 1, column: shownInMessage(header), reason: `无法识别的列名（请使用${template}中的中文或英文列名，模板可在数据导入页下载）` });
    plan.columns.push(column);
  });
  for (const c of columnSet.filter((x) => x.required)) {
    if (!plan.columns.some((x) => x?.key === c.key)) plan.problems.push({ line: 1, column: c.zh, reason: `缺少必填列（见${template}）` });
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

const ELEVEN_DIGITS = /[0-9]{11}/;

/** Masks what still looks like an identity-card or mobile number in free text; returns how many. */
export function maskPersonalNumbers(text: string): { text: string; masked: number } {
  // Both patterns need eleven digits in a row; most cells have none and skip the two replaces.
  if (!ELEVEN_DIGITS.test(text)) return { text, masked: 0 };
  let masked = 0;
  const out = text.replace(ID_NUMBER, () => (masked++, MASK)).replace(MOBILE, () => (masked++, MASK));
  return { text: out, masked };
}

/** Longest name masked (longer cells of a name column are lists, split first, or not names). */
const LONGEST_NAME = 20;
/** Most names a file's masker holds (about 60 MB of a row thread's heap); later ones mask their own rows only. */
const MAX_FILE_NAMES = 500_000;
/** Most distinct free-text values revisited at the end of a file (a 系列案标识 is shared by its series: a file has few). */
const MAX_STORED_TEXTS = 200_000;

/**
 * The names a file's name columns give, masked in free text wherever they appear (issue 17 rule
 * 5: a 系列案标识 written as 张三系列案 keeps no name, nor one naming a party of another row). Each
 * row's free text is masked of the names known when it is read, its own row's among them; the
 * file is read once, as it streams, so the values stored are remembered too, and once the last
 * row has given its names, `revisions` says which of them a name given later must still mask —
 * the importer rewrites those in the same transaction, before anything is committed.
 * One-character names are left alone: a surname by itself would mask ordinary words. At each
 * position the longest name wins (张三丰 before 张三); a position is looked up only when its
 * character starts some known name.
 */
export class FileNames {
  private readonly names = new Set<string>();
  private readonly firsts = new Set<string>();
  private readonly stored = new Set<string>();
  private longest = 0;

  /** Adds a name; false when it is no name to mask or the masker is full (the caller masks it in its own row). */
  add(name: string): boolean {
    if (name.length < 2 || name.length > LONGEST_NAME) return true;
    if (this.names.size >= MAX_FILE_NAMES && !this.names.has(name)) return false;
    this.names.add(name);
    this.firsts.add(name[0]!);
    this.longest = Math.max(this.longest, name.length);
    return true;
  }

  /** `text` with every known name masked, and `extra` names too (a full masker's caller passes its row's own). */
  mask(text: string, extra: readonly string[] = []): { text: string; masked: number } {
    const known = this.maskKnown(text);
    if (extra.length === 0) return known;
    // Only past MAX_FILE_NAMES: the row's own names, in a masker of their own.
    const own = new FileNames();
    for (const name of extra) own.add(name);
    const more = own.maskKnown(known.text);
    return { text: more.text, masked: known.masked + more.masked };
  }

  private maskKnown(text: string): { text: string; masked: number } {
    if (this.names.size === 0) return { text, masked: 0 };
    let out = '';
    let masked = 0;
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      if (!this.firsts.has(text[i]!)) continue;
      for (let length = Math.min(this.longest, text.length - i); length >= 2; length--) {
        if (!this.names.has(text.slice(i, i + length))) continue;
        out += text.slice(from, i) + MASK;
        masked += 1;
        from = i + length;
        i = from - 1;
        break;
      }
    }
    return masked ? { text: out + text.slice(from), masked } : { text, masked: 0 };
  }

  /** A free-text value as stored (masked with the names known so far), to be revisited at the end of the file. */
  remember(text: string): void {
    if (this.stored.size < MAX_STORED_TEXTS) this.stored.add(text);
  }

  /** The stored values the file's later names still mask, each with the value it must become. */
  revisions(): { from: string; to: string }[] {
    const revised: { from: string; to: string }[] = [];
    for (const from of this.stored) {
      const { text: to, masked } = this.mask(from);
      if (masked) revised.push({ from, to });
    }
    return revised;
  }
}

/** The names a row's name columns give, each cell split where it lists several. */
const namesOf = (cells: readonly string[], plan: HeaderPlan) =>
  plan.names.flatMap((i) => (cells[i] ?? '').split(/[、，,；;|/\s]+/)).map((n) => n.trim()).filter(Boolean);

/** A natural person's name and ID number as `defendant_key` (a keyed HMAC, made by the caller that holds the key). */
export type IdentityKey = (name: string, idNumber: string) => string;

export type CaseRow = Record<string, string | number | boolean | readonly string[] | null>;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The value of the ASCII digits of `text` from `start` to `end`, or -1 when any is not one. */
function digitsValue(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** A real date written YYYY-MM-DD. Read by character codes: three of a row's cells are dates, and a regular expression with three Number() calls cost a twentieth of an import's row thread. */
function validDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const year = digitsValue(text, 0, 4);
  const month = digitsValue(text, 5, 7);
  const day = digitsValue(text, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

const truthy = new Set(['是', 'true', '1', 'TRUE', 'True', 'Y', 'y']);
const falsy = new Set(['否', 'false', '0', 'FALSE', 'False', 'N', 'n']);

/**
 * Why a cell is refused (a class, so a refusal is told from any cell value by instanceof): the
 * reason, and the refused value with what follows it, which the message shows masked.
 */
class Refusal {
  readonly reason: string;
  readonly value: string | undefined;
  readonly after: string;
  constructor(reason: string, value?: string, after = '') {
    this.reason = reason;
    this.value = value;
    this.after = after;
  }

  message(personal: readonly string[]): string {
    return this.value === undefined ? this.reason : `${this.reason}：${shownInMessage(this.value, personal)}${this.after}`;
  }
}

/** The allowed values of a vocabulary column, as a refusal lists them. */
const allowed = (values: Iterable<string>) => `（可选值：${[...values].join('、')}）`;
const townshipNames = allowed([...townshipIds.keys()].filter((name) => /[\u4e00-\u9fff]/.test(name)));

/** Bounds of case_record's integer and numeric(16,2) columns: a larger value is refused here, not by a failing COPY. */
const INT_MAX = 2_147_483_647;
const AMOUNT_LIMIT = 1e14;

/** An enumerated column's values as a set, built once per column: a row checks about ten such cells. */
const vocabularies = new WeakMap<Column, ReadonlySet<string>>();
function vocabulary(column: Column): ReadonlySet<string> {
  let values = vocabularies.get(column);
  if (!values) vocabularies.set(column, (values = new Set(column.values)));
  return values;
}

/**
 * Multi-value cells as read, by column and text: a file repeats a handful of combinations
 * (自然人|企业 …), each split and checked once. The lists are frozen, since rows share them.
 */
const multiCells = new WeakMap<Column, Map<string, readonly string[] | Refusal>>();
const MULTI_CELLS_KEPT = 1000;
function multiValue(column: Column, raw: string): readonly string[] | Refusal {
  let seen = multiCells.get(column);
  if (!seen) multiCells.set(column, (seen = new Map()));
  const known = seen.get(raw);
  if (known) return known;
  const values = Object.freeze(raw.split('|').map((v) => v.trim()).filter(Boolean));
  const bad = values.find((v) => !vocabulary(column).has(v));
  const value = bad === undefined ? values : new Refusal('不在取值范围内', bad, `${allowed(column.values!)}，多个值用“|”分隔`);
  if (seen.size < MULTI_CELLS_KEPT) seen.set(raw, value);
  return value;
}

/** A non-empty cell's value (free text still unmasked), or why it is refused. Called per cell: no closures here. */
function cellValue(column: Column, raw: string): CaseRow[string] | Refusal {
  switch (column.type) {
    case 'date':
      return validDate(raw) ? raw : new Refusal('日期无效', raw, '（应为 YYYY-MM-DD 的真实日期）');
    case 'int':
      if (!/^\d+$/.test(raw)) return new Refusal(column.min ? `应为不小于 ${column.min} 的整数` : '应为非负整数', raw);
      if (column.min !== undefined && Number(raw) < column.min) return new Refusal(`应为不小于 ${column.min} 的整数`, raw);
      return Number(raw) > INT_MAX ? new Refusal('数值过大', raw) : Number(raw);
    case 'year':
      return /^\d{4}$/.test(raw) && Number(raw) >= 2000 && Number(raw) <= 2100 ? Number(raw) : new Refusal('年度无效', raw, '（应为四位年份，如 2025）');
    case 'month': {
      const m = /^(\d{4})-(\d{1,2})$/.exec(raw);
      const month = m ? Number(m[2]) : 0;
      return m && Number(m[1]) >= 2000 && Number(m[1]) <= 2100 && month >= 1 && month <= 12
        ? `${m[1]}-${String(month).padStart(2, '0')}-01`
        : new Refusal('月份无效', raw, '（应为 YYYY-MM，如 2025-03）');
    }
    case 'decimal':
      if (!/^-?\d+(\.\d{1,2})?$/.test(raw)) return new Refusal('应为金额（元，最多两位小数）', raw);
      if (Number(raw) < 0) return new Refusal('金额不能为负数', raw);
      return Number(raw) >= AMOUNT_LIMIT ? new Refusal('金额过大', raw, '（应小于 100 万亿元）') : Number(raw);
    case 'bool':
      return truthy.has(raw) ? true : falsy.has(raw) ? false : new Refusal('应为“是”或“否”', raw);
    case 'enum':
      return vocabulary(column).has(raw) ? raw : new Refusal('不在取值范围内', raw, allowed(column.values!));
    case 'multi':
      return multiValue(column, raw);
    case 'township':
      return townshipIds.get(raw) ?? new Refusal('不是唐河县的乡镇（街道）', raw, townshipNames);
    case 'text':
      // PostgreSQL text holds no NUL, and a key must fit its index.
      if (raw.includes('\0')) return new Refusal('含有空字符（\\0），无法保存，请检查导出文件');
      if (column.shape && !column.shape.test(raw)) return new Refusal(column.shape.reason, raw, column.shape.hint);
      return raw;
  }
}

/** What a row is checked against besides its own cells. */
export interface RowContext {
  identityKey: IdentityKey;
  /** Today in Beijing time (YYYY-MM-DD): a later filing or closing date is refused. */
  today: string;
  /** The names the file's rows gave so far, masked in this row's free text; the row's own are added, its free text remembered. */
  fileNames?: FileNames;
  /** The 案由 catalogue a case row's cause must come from (a side table's rows have no cause). */
  causes?: CauseCatalogue;
}

/** The row's identity and dropped cells as the file wrote them: a message masks them wherever they appear. */
const personalCells = (cells: readonly string[], plan: HeaderPlan) => plan.personal.map((i) => (cells[i] ?? '').trim()).filter(Boolean);

export function parseRow(cells: readonly string[], line: number, plan: HeaderPlan, context: RowContext): { row: CaseRow; masked: number } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const row: CaseRow = { ...plan.empty };
  let masked = 0;
  const names = plan.names.length > 0 ? namesOf(cells, plan) : [];
  // The file's masker, or one for this row alone (a side table, a caller reading one row).
  const fileNames = context.fileNames ?? (names.length > 0 ? new FileNames() : undefined);
  const unheld = fileNames ? names.filter((name) => !fileNames.add(name)) : [];
  for (let i = 0; i < plan.columns.length; i++) {
    const column = plan.columns[i];
    if (!column) continue;
    const raw = (cells[i] ?? '').trim();
    if (raw === '') {
      if (column.required) problems.push({ line, column: column.zh, reason: '必填' });
      continue;
    }
    const limit = column.maxLength ?? DEFAULT_MAX_CELL_CHARS;
    if (raw.length > limit) {
      problems.push({ line, column: column.zh, reason: `内容过长：${raw.length} 个字符，该列最多 ${limit} 个字符` });
      continue;
    }
    const value = cellValue(column, raw);
    if (value instanceof Refusal) {
      problems.push({ line, column: column.zh, reason: value.message(personalCells(cells, plan)) });
    } else if (column.type === 'text') {
      const numbers = maskPersonalNumbers(raw);
      const named = fileNames?.mask(numbers.text, unheld) ?? numbers;
      masked += numbers.masked + named.masked;
      row[column.key] = named.text;
      if (column.freeText) fileNames?.remember(named.text);
    } else {
      row[column.key] = value;
    }
  }
  caseRules(row, line, context, problems, cells, plan);
  const name = plan.identity.name !== undefined ? (cells[plan.identity.name] ?? '').trim() : '';
  const idNumber = plan.identity.idNumber !== undefined ? (cells[plan.identity.idNumber] ?? '').trim() : '';
  if (name || idNumber) row.defendant_key = context.identityKey(name, idNumber);
  return problems.length ? { problems } : { row, masked };
}

/**
 * The rules between a case row's cells, on the cells that passed their own checks: the 案由 is in
 * the catalogue and of the case type's kind (issue 17 rule 5); of the date rules, dates after
 * today are refused first: a date from the future makes every other date rule meaningless (a
 * typed year 2052 for 2025 is one mistake, not three).
 */
function caseRules(row: CaseRow, line: number, { today, causes }: RowContext, problems: RowProblem[], cells: readonly string[], plan: HeaderPlan): void {
  if (causes && typeof row.cause === 'string') {
    const refused = causes.refusal(row.cause, typeof row.case_type === 'string' ? row.case_type : undefined);
    if (refused) problems.push({ line, column: '案由', reason: `案由${refused.reason}：${shownInMessage(row.cause, personalCells(cells, plan))}${refused.hint}` });
  }
  const filing = typeof row.filing_date === 'string' ? row.filing_date : undefined;
  const closing = typeof row.closing_date === 'string' ? row.closing_date : undefined;
  const filingLate = filing !== undefined && filing > today;
  const closingLate = closing !== undefined && closing > today;
  if (filingLate) problems.push({ line, column: '立案日期', reason: `立案日期 ${filing} 晚于今天（北京时间 ${today}）` });
  if (closingLate) problems.push({ line, column: '结案日期', reason: `结案日期 ${closing} 晚于今天（北京时间 ${today}）` });
  const datesPlausible = !filingLate && !closingLate;
  if (datesPlausible && filing && closing && closing < filing) problems.push({ line, column: '结案日期', reason: '结案日期早于立案日期' });
  if (typeof row.case_no !== 'string') return;
  const caseNo = parseCaseNumber(row.case_no);
  if (!caseNo) {
    problems.push({ line, column: '案号', reason: `案号格式不符：${shownInMessage(row.case_no, personalCells(cells, plan))}（${CASE_NUMBER_FORMAT_HINT}）` });
    return;
  }
  const typeCode = typeof row.type_code === 'string' ? row.type_code : undefined;
  const filingDate = datesPlausible ? filing : undefined;
  // Most rows agree: their messages, and the masking they need, are never built.
  if (caseNumberAgrees(caseNo, { filingDate, typeCode })) return;
  const personal = personalCells(cells, plan);
  for (const d of caseNumberDisagreements(caseNo, { filingDate, typeCode }, (v) => shownInMessage(v, personal))) problems.push({ line, ...d });
}
