/**
 * The neutral document model: what an official paper says, with no opinion on how it is drawn.
 * Every builder in this folder returns an `OfficialDocument`; the renderers in `src/documents/`
 * turn it into .docx, PDF or plain text. The parts follow GB/T 9704-2012 (党政机关公文格式):
 * 版头 (classification, issuing organ mark, 文号, red separator), 主体 (title, 主送, body,
 * annex list, signature, date, 附注), 版记 (抄送, 印发机关和印发日期), plus annexes on their own pages.
 */

export type DocumentKind =
  | 'assessment_report'
  | 'topic_report'
  | 'risk_notice'
  | 'supervision_notice'
  | 'urge_notice'
  | 'warning_card'
  | 'supervision_bulletin'
  | 'interview_notice'
  | 'interview_record'
  | 'listing_notice'
  | 'listing_record'
  | 'rectification_order'
  | 'meeting_agenda'
  | 'meeting_minutes'
  | 'score_sheet'
  | 'public_report'
  | 'seminar_invitation';

/** Chinese name of each kind, as used in mail subjects, inbox lists and the audit log. */
export const documentKindLabels: Readonly<Record<DocumentKind, string>> = {
  assessment_report: '评估报告',
  topic_report: '专题分析报告',
  risk_notice: '风险提示函',
  supervision_notice: '督办事项通知书',
  urge_notice: '催办通知书',
  warning_card: '督办警示通报',
  supervision_bulletin: '督办事项专报',
  interview_notice: '约谈通知书',
  interview_record: '约谈记录',
  listing_notice: '挂牌督办通知书',
  listing_record: '挂牌督办记录',
  rectification_order: '限期整改指令书',
  meeting_agenda: '联席会议议程',
  meeting_minutes: '联席会议纪要',
  score_sheet: '考核扣分表',
  public_report: '年度评估报告（公开版）',
  seminar_invitation: '成效研讨会邀请函',
};

/**
 * Colour of a cell or a chart mark. Risk levels map to 蓝/黄/橙/红 and traffic lights to
 * 绿/黄/红 (DOMAIN.md §2.1, §4.6); the renderers own the actual RGB values.
 */
export type Tone = 'blue' | 'green' | 'yellow' | 'orange' | 'red' | 'grey';

export interface TableColumn {
  header: string;
  /** Relative width; the renderer scales all columns to the text width. */
  width: number;
  align?: 'left' | 'center' | 'right';
}

export interface TableCell {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

export type Cell = string | TableCell;

/** Charts are data, drawn server-side by `src/documents/charts.ts` (echarts). */
export type ChartSpec = TrendChart | HeatGridChart | LevelBarsChart;

/** Line chart over periods; `null` leaves a gap (a suppressed or missing value). */
export interface TrendChart {
  type: 'trend';
  title: string;
  unit: string;
  categories: string[];
  series: { name: string; values: (number | null)[] }[];
}

/** Township × indicator grid coloured by risk level; labels are already suppressed text. */
export interface HeatGridChart {
  type: 'heat_grid';
  title: string;
  rows: string[];
  columns: string[];
  cells: { label: string; tone: Tone | null }[][];
}

/** Stacked bars: number of indicators per risk level, per category (usually domain). */
export interface LevelBarsChart {
  type: 'level_bars';
  title: string;
  categories: string[];
  series: { name: string; tone: Tone; values: number[] }[];
}

export type Block =
  /** Numbering is part of the text: "一、", "（一）", "1." (GB/T 9704 §7.3.3). */
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  /** Body paragraph; `indent` (default true) is the two-character first-line indent. */
  | { type: 'paragraph'; text: string; indent?: boolean; align?: 'left' | 'center' | 'right'; bold?: boolean }
  | { type: 'table'; title?: string; columns: TableColumn[]; rows: Cell[][]; note?: string }
  /** Label/value form, e.g. a registration sheet or a receipt. Empty values print as blanks to fill in. */
  | { type: 'fields'; rows: { label: string; value: string }[] }
  | { type: 'chart'; chart: ChartSpec; caption: string }
  /** Lines for hand signatures, e.g. "约谈人（签字）：＿＿＿". */
  | { type: 'signature_lines'; labels: string[] }
  | { type: 'page_break' };

export interface Annex {
  /** "附件1", "附件2": set by the builder, printed top-left in 黑体. */
  label: string;
  title: string;
  blocks: Block[];
}

export interface Contact {
  /** Who answers questions, e.g. "唐河县人民法院审判管理办公室". */
  office: string;
  /** A working contact (office name + work phone); never a citizen's data. */
  name: string;
  phone: string;
}

/** 版头. `red` = 红头 letter; `bulletin` = 专报/简报 masthead with issue number; `plain` = form. */
export type DocumentHeader =
  | { style: 'red'; organ: string }
  | { style: 'bulletin'; masthead: string; issue: string; organ: string; date: string }
  | { style: 'plain' };

export interface OfficialDocument {
  kind: DocumentKind;
  header: DocumentHeader;
  /** 公开属性 / 密级 printed top-left, e.g. "内部" or "此件公开发布". */
  classification?: string;
  /** 文号, e.g. 唐法风〔2026〕3号; absent for unnumbered papers (agenda, public report). */
  number?: string;
  title: string;
  /** Line under the title, e.g. "（2026年上半年）". */
  subtitle?: string;
  /** 主送, printed after the title ending with "：". */
  mainRecipients: string[];
  body: Block[];
  contact?: Contact;
  /** 落款: issuing organ(s) (several for 联合行文) and the date in Chinese numerals (二〇二六年十一月二十四日). */
  signature?: { organs: string[]; date: string; sealed: boolean };
  /** 附注, printed in parentheses under the date, e.g. "（此件发至各乡镇）". */
  note?: string;
  annexes: Annex[];
  /** 抄送, in the 版记. */
  copyTo: string[];
  /** 报 (upward distribution of 专报/纪要), in the 版记 before 抄送. */
  reportTo?: string[];
  /** 送 (distribution to members), in the 版记 before 抄送. */
  sendTo?: string[];
  /** 印发机关和印发日期 (numeric date), in the 版记. */
  imprint?: { organ: string; date: string };
  /** A tear-off receipt (回执) on its own last page. */
  receipt?: { title: string; blocks: Block[] };
  /** Who may read it: `public` papers go on the public page (第十七条). */
  audience: 'internal' | 'public';
  /** Metadata for storage and mail: ISO date of issue and the recipients' unit ids. */
  meta: DocumentMeta;
}

export interface DocumentMeta {
  issuedOn: string;
  /** Unit ids (department table) that receive the document as 主送. */
  to: string[];
  /** Unit ids that receive it as 抄送. */
  cc: string[];
  /** Unit ids whose 分管领导 (department.leader_email) also receives a copy, e.g. for 催办. */
  ccLeadersOf?: string[];
}

/** Numbered annex labels "附件1", "附件2"; a single annex is just "附件" (GB/T 9704 §7.3.6). */
export function labelAnnexes(annexes: Omit<Annex, 'label'>[]): Annex[] {
  return annexes.map((annex, index) => ({ ...annex, label: annexes.length === 1 ? '附件' : `附件${index + 1}` }));
}

/** All visible text of a document, in reading order: what the privacy guard and tests scan. */
export function documentText(doc: OfficialDocument): string {
  const parts: string[] = [];
  const header = doc.header;
  if (doc.classification) parts.push(doc.classification);
  if (header.style === 'red') parts.push(header.organ);
  if (header.style === 'bulletin') parts.push(header.masthead, header.issue, header.organ, header.date);
  if (doc.number) parts.push(doc.number);
  parts.push(doc.title);
  if (doc.subtitle) parts.push(doc.subtitle);
  if (doc.mainRecipients.length > 0) parts.push(doc.mainRecipients.join('、'));
  parts.push(...blocksText(doc.body));
  if (doc.contact) parts.push(doc.contact.office, doc.contact.name, doc.contact.phone);
  if (doc.signature) parts.push(...doc.signature.organs, doc.signature.date);
  if (doc.note) parts.push(doc.note);
  for (const annex of doc.annexes) parts.push(annex.label, annex.title, ...blocksText(annex.blocks));
  if (doc.reportTo?.length) parts.push(doc.reportTo.join('，'));
  if (doc.sendTo?.length) parts.push(doc.sendTo.join('，'));
  if (doc.copyTo.length > 0) parts.push(doc.copyTo.join('，'));
  if (doc.imprint) parts.push(doc.imprint.organ, doc.imprint.date);
  if (doc.receipt) parts.push(doc.receipt.title, ...blocksText(doc.receipt.blocks));
  return parts.join('\n');
}

export function blocksText(blocks: readonly Block[]): string[] {
  const out: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'heading':
      case 'paragraph':
        out.push(block.text);
        break;
      case 'table':
        if (block.title) out.push(block.title);
        out.push(block.columns.map((c) => c.header).join(' '));
        for (const row of block.rows) out.push(row.map(cellText).join(' '));
        if (block.note) out.push(block.note);
        break;
      case 'fields':
        for (const row of block.rows) out.push(`${row.label} ${row.value}`);
        break;
      case 'chart':
        out.push(block.caption, ...chartText(block.chart));
        break;
      case 'signature_lines':
        out.push(...block.labels);
        break;
      case 'page_break':
        break;
    }
  }
  return out;
}

export function cellText(cell: Cell): string {
  return typeof cell === 'string' ? cell : cell.text;
}

function chartText(chart: ChartSpec): string[] {
  switch (chart.type) {
    case 'trend':
      return [chart.title, chart.categories.join(' '), ...chart.series.map((s) => `${s.name} ${s.values.map((v) => (v === null ? '' : String(v))).join(' ')}`)];
    case 'heat_grid':
      return [chart.title, chart.columns.join(' '), ...chart.rows.map((row, i) => `${row} ${(chart.cells[i] ?? []).map((c) => c.label).join(' ')}`)];
    case 'level_bars':
      return [chart.title, chart.categories.join(' '), ...chart.series.map((s) => `${s.name} ${s.values.join(' ')}`)];
  }
}
