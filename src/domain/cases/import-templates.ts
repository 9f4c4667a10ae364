import { CASE_NUMBER_FORMAT_HINT } from './case-number.ts';
import { caseColumns, DEFAULT_MAX_CELL_CHARS, type Column } from './columns.ts';
import { sideTables, type SideTableName } from './side-tables.ts';

/**
 * The import templates the 数据导入 screen offers (issue 21 point 10): per data kind, the columns
 * in the order a file should have them, one example row the importer accepts as it is (a test
 * imports every template unchanged), and a guide row per column saying what a cell may hold.
 * Derived from the same column definitions the importer checks against, so they cannot disagree.
 */

export type TemplateKind = 'cases' | SideTableName;

export const TEMPLATE_KINDS: readonly TemplateKind[] = ['cases', 'population', 'signals', 'causes'];

export const isTemplateKind = (kind: string): kind is TemplateKind => (TEMPLATE_KINDS as readonly string[]).includes(kind);

export interface ColumnGuide {
  /** The header to write (Chinese). */
  header: string;
  /** The English header the importer also accepts. */
  key: string;
  required: boolean;
  /** What a cell may hold, in Chinese: its format, its allowed values or its length limit. */
  format: string;
  example: string;
}

export interface ImportTemplate {
  kind: TemplateKind;
  /** The data kind's name on screen and the file name's stem: 案件数据导入模板.csv. */
  label: string;
  columns: ColumnGuide[];
  /** Notes below the guide: identity columns, the multi-value separator, encodings. */
  notes: string[];
}

/**
 * A believable civil case that passes every rule (case-number format and agreement included). The
 * examples are of 2026, a year the demo's county data (2022–2025) does not hold: importing a
 * template unchanged adds rows, it never overwrites a real township's figures.
 */
const caseExample: Readonly<Record<string, string>> = {
  case_no: '（2026）豫1328民初1234号',
  court: '唐河县人民法院',
  case_type: '民事',
  procedure: '一审',
  type_code: '民初',
  cause: '民间借贷纠纷',
  filing_date: '2026-03-12',
  closing_date: '2026-06-20',
  deadline_date: '2026-09-11',
  township: '源潭镇',
  plaintiff_types: '自然人',
  defendant_types: '自然人|企业',
  party_count: '3',
  claim_amount: '50000.00',
  closing_method: '调解',
  appealed: '否',
  pre_mediation: '失败',
  petition_count: '0',
};

const sideExamples: Readonly<Record<SideTableName, Readonly<Record<string, string>>>> = {
  population: { township: '源潭镇', year: '2026', resident_population: '86000', registered_migrants: '2100' },
  signals: { township: '源潭镇', month: '2026-03', petition_count: '4', public_opinion_count: '1' },
  // A real 罪名 the seed of cause_catalogue lacks: the example shows how a missing cause is added.
  causes: { cause: '非法出租、出借枪支罪', kind: '刑事' },
};

/** The case row's 案由, checked against the catalogue (a side table's 案由 column is the catalogue itself). */
const causeColumn = caseColumns.find((c) => c.key === 'cause');

/** What a cell of the column may hold, in the words the importer's refusals use. */
function formatOf(column: Column): string {
  if (column.key === 'case_no') return `案号格式${CASE_NUMBER_FORMAT_HINT}；年度应与立案日期一致，类型代字应与“类型代字”列一致`;
  if (column === causeColumn) return '案由目录中的规范名称（民事案件为民事案由，刑事案件为罪名，行政案件为被诉行政行为的种类）；目录没有的案由先以「案由目录」导入';
  if (column.freeText) return `文本，最多 ${column.maxLength ?? DEFAULT_MAX_CELL_CHARS} 个字符；其中的身份证号、手机号和当事人姓名导入时脱敏`;
  switch (column.type) {
    case 'text':
      // A shaped column says what its cell must be in the refusal's own words (the hint without its brackets).
      return `${column.shape ? `${column.shape.hint.slice(1, -1)}；` : ''}文本，最多 ${column.maxLength ?? DEFAULT_MAX_CELL_CHARS} 个字符`;
    case 'enum':
      return `可选值：${column.values!.join('、')}`;
    case 'multi':
      return `可选值：${column.values!.join('、')}；多个值用“|”分隔`;
    case 'date':
      return '日期，YYYY-MM-DD，不晚于今天';
    case 'int':
      return column.min ? `不小于 ${column.min} 的整数` : '非负整数';
    case 'decimal':
      return '金额（元），最多两位小数';
    case 'bool':
      return '“是”或“否”';
    case 'township':
      return '唐河县的乡镇（街道）名称，如 源潭镇、滨河街道；县外、不详也可';
    case 'year':
      return '四位年份，如 2025';
    case 'month':
      return '月份，YYYY-MM，如 2025-03';
  }
}

function guides(columns: readonly Column[], example: Readonly<Record<string, string>>): ColumnGuide[] {
  return columns.map((c) => ({ header: c.zh, key: c.key, required: c.required, format: formatOf(c), example: example[c.key] ?? '' }));
}

const COMMON_NOTES = ['文件格式：CSV（UTF-8 或 GBK）、XLSX（只读第一个工作表）或 JSON（对象数组，键为列名）。', '第一行为列名，可用中文或英文列名，列的顺序不限；任何一行有误则整个文件不导入。'];

export function importTemplate(kind: TemplateKind): ImportTemplate {
  if (kind === 'cases') {
    return {
      kind,
      label: '案件数据',
      // 被告标识 is what the importer makes from 被告姓名 and 被告身份证号: a court never writes it.
      columns: guides(
        caseColumns.filter((c) => c.key !== 'defendant_key'),
        caseExample,
      ),
      notes: [
        ...COMMON_NOTES,
        '可附“被告姓名”“被告身份证号”两列：仅用于在内存中生成不可逆的被告标识，原文不入库；当事人姓名、电话、住址等个人信息列导入时丢弃。',
        '同一案号在一个文件中只能出现一次；再次导入同一案号只更新有变化的行。',
      ],
    };
  }
  const table = sideTables[kind];
  return {
    kind,
    label: table.label,
    columns: guides(table.columns, sideExamples[kind]),
    notes: [...COMMON_NOTES, `${table.oncePerFile}；再次导入只更新有变化的行。`],
  };
}
