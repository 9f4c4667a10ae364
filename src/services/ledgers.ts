import { createHash } from 'node:crypto';
import ExcelJS from '../shared/exceljs.ts';
import type { DataSource } from 'typeorm';
import { indicatorLabels } from '../domain/indicators/labels.ts';
import { scoringCategoryLabels } from '../domain/loop/scoring.ts';
import { seesCounty, type Actor } from './actor.ts';
import { writeAudit } from './audit.ts';
import { indicatorNames } from './display-names.ts';

/**
 * 台账 (PRODUCT.md §7): the loop's records as the office keeps them — notices, work opinions with
 * their measures, supervision items, interviews, listings, joint meetings, 专报, annual evaluations
 * with the score sheet's lines, documents — each one table spec: its
 * columns in Chinese, what full-text search looks at, and which rows a department may see (its own:
 * addressed to it, led or co-handled by it). Filtering, search and paging happen in SQL; the
 * export is the same query as an .xlsx with spreadsheet formulas neutralised. Every read and every
 * export is audited (第二十条: who looked at or took away which rows, and how many).
 */

export const ledgerKinds = ['notices', 'measures', 'items', 'interviews', 'listings', 'meetings', 'bulletins', 'evaluations', 'deductions', 'documents'] as const;
export type LedgerKind = (typeof ledgerKinds)[number];

interface Column {
  key: string;
  label: string;
  sql: string;
  /** The value is a document id: the screen links it, the export leaves it out. */
  document?: true;
  /** The value is a list of indicator codes, shown by name and in code order: "民间借贷纠纷（B2）、…". */
  indicators?: true;
}

interface LedgerSpec {
  title: string;
  from: string;
  columns: Column[];
  /** Text the search box looks in. */
  search: string[];
  /** Rows a department sees; `$3` is its id. */
  own: string;
  order: string;
}

const unitName = (id: string) => `(SELECT name FROM department WHERE id = ${id})`;
const unitNames = (ids: string) => `(SELECT string_agg(name, '、' ORDER BY sort_order) FROM department WHERE id = ANY(${ids}))`;
/** Indicator codes and every name their definitions had, for the search box. */
const indicatorText = (ids: string) => `concat_ws(' ', array_to_string(${ids}, ' '), (SELECT string_agg(DISTINCT definition->>'name', ' ') FROM indicator_definition WHERE id = ANY(${ids})))`;
const localTime = (ts: string) => `to_char(${ts} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`;
const localDay = (ts: string) => `to_char(${ts} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`;

const specs: Record<LedgerKind, LedgerSpec> = {
  notices: {
    title: '风险提示函台账',
    from: 'risk_notice n',
    columns: [
      { key: 'number', label: '文号', sql: 'n.number' },
      { key: 'round', label: '评估轮次', sql: 'n.round_id' },
      { key: 'department', label: '责任单位', sql: unitName('n.department_id') },
      { key: 'indicators', label: '高风险指标', sql: 'n.indicator_ids', indicators: true },
      { key: 'status', label: '状态', sql: `CASE n.status WHEN 'issued' THEN '待反馈' WHEN 'answered' THEN '已反馈' WHEN 'returned' THEN '退回修改' WHEN 'accepted' THEN '已采纳' ELSE '已办结' END` },
      { key: 'issuedAt', label: '发出时间', sql: localTime('n.issued_at') },
      { key: 'dueDate', label: '反馈期限', sql: localDay('n.due_date') },
      { key: 'answeredAt', label: '反馈时间', sql: localTime('n.answered_at') },
    ],
    search: ['n.number', 'n.round_id', unitName('n.department_id'), indicatorText('n.indicator_ids')],
    own: 'n.department_id = $3',
    order: 'n.issued_at DESC, n.number',
  },
  measures: {
    title: '工作意见与措施台账',
    from: 'measure m JOIN work_opinion o ON o.id = m.opinion_id JOIN risk_notice n ON n.id = o.notice_id',
    columns: [
      { key: 'notice', label: '风险提示函', sql: 'n.number' },
      { key: 'department', label: '反馈单位', sql: unitName('n.department_id') },
      { key: 'version', label: '意见版本', sql: 'o.version' },
      { key: 'late', label: '逾期反馈', sql: `CASE WHEN o.late THEN '是' ELSE '否' END` },
      { key: 'review', label: '审核结果', sql: `CASE o.review_decision WHEN 'accept' THEN '采纳' WHEN 'return' THEN '退回' ELSE '待审核' END` },
      { key: 'content', label: '措施', sql: 'm.content' },
      { key: 'owner', label: '责任人', sql: 'm.owner_name' },
      { key: 'responsible', label: '责任单位', sql: unitName('m.responsible_department_id') },
      { key: 'deadline', label: '完成时限', sql: `to_char(m.deadline, 'YYYY-MM-DD')` },
      { key: 'indicators', label: '针对指标', sql: 'm.indicator_ids', indicators: true },
    ],
    search: ['n.number', 'm.content', 'm.owner_name', 'o.analysis', unitName('m.responsible_department_id')],
    own: '(n.department_id = $3 OR m.responsible_department_id = $3)',
    order: 'o.submitted_at DESC, m.seq',
  },
  items: {
    title: '督办事项台账',
    from: 'supervision_item i',
    columns: [
      { key: 'number', label: '督办编号', sql: 'i.number' },
      { key: 'title', label: '督办事项', sql: 'i.title' },
      { key: 'lead', label: '主办单位', sql: unitName('i.lead_department_id') },
      { key: 'co', label: '协办单位', sql: unitNames('i.co_department_ids') },
      { key: 'deadline', label: '办理时限', sql: localDay('i.deadline') },
      { key: 'status', label: '状态', sql: `CASE i.status WHEN 'closed' THEN '已办结' WHEN 'submitted' THEN '待审核' WHEN 'returned' THEN '退回重办' WHEN 'registered' THEN '已登记' ELSE '办理中' END` },
      { key: 'stage', label: '督办阶段', sql: `CASE i.stage WHEN 'yellow_card' THEN '黄牌' WHEN 'red_card' THEN '红牌' WHEN 'interview' THEN '约谈' WHEN 'listed' THEN '挂牌督办' WHEN 'red' THEN '逾期' WHEN 'yellow' THEN '临期' WHEN 'closed' THEN '办结' ELSE '正常' END` },
      { key: 'returned', label: '退回次数', sql: 'i.returned_count' },
      { key: 'onTime', label: '按期办结', sql: `CASE i.result_on_time WHEN true THEN '是' WHEN false THEN '否' ELSE '' END` },
    ],
    search: ['i.number', 'i.title', 'i.requirements', unitName('i.lead_department_id')],
    own: '(i.lead_department_id = $3 OR $3 = ANY(i.co_department_ids))',
    order: 'i.registered_at DESC, i.number',
  },
  interviews: {
    title: '约谈台账',
    // A unit's own 约谈 (a leader's order without an item) has no item: its column says so.
    from: 'interview v LEFT JOIN supervision_item i ON i.id = v.item_id',
    columns: [
      { key: 'number', label: '约谈记录编号', sql: 'v.number' },
      { key: 'department', label: '被约谈单位', sql: unitName('v.department_id') },
      { key: 'item', label: '督办事项', sql: `coalesce(i.title, '（不针对具体督办事项）')` },
      { key: 'reason', label: '约谈事由', sql: 'v.reason' },
      { key: 'heldAt', label: '约谈时间', sql: localDay('v.held_at') },
      { key: 'deadline', label: '整改期限', sql: localDay('v.rectification_deadline') },
      { key: 'report', label: '整改报告', sql: `coalesce(v.record->>'rectificationReport', '')` },
    ],
    search: ['v.number', 'v.reason', 'i.title', unitName('v.department_id')],
    own: 'v.department_id = $3',
    order: 'v.held_at DESC NULLS LAST, v.number',
  },
  listings: {
    title: '挂牌督办台账',
    from: 'listing l JOIN supervision_item i ON i.id = l.item_id',
    columns: [
      { key: 'number', label: '挂牌编号', sql: 'l.number' },
      { key: 'department', label: '挂牌单位', sql: unitName('l.department_id') },
      { key: 'problem', label: '突出问题', sql: 'l.problem' },
      { key: 'deadline', label: '整改期限', sql: localDay('l.deadline') },
      { key: 'reports', label: '月报次数', sql: 'jsonb_array_length(l.monthly_reports)' },
      { key: 'acceptedAt', label: '验收时间', sql: localDay('l.accepted_at') },
      { key: 'delistedAt', label: '摘牌时间', sql: localDay('l.delisted_at') },
    ],
    search: ['l.number', 'l.problem', 'i.title', unitName('l.department_id')],
    own: 'l.department_id = $3',
    order: 'l.deadline DESC NULLS LAST, l.number',
  },
  meetings: {
    title: '联席会议台账',
    from: 'joint_meeting m',
    columns: [
      { key: 'id', label: '会议', sql: 'm.id' },
      { key: 'number', label: '纪要文号', sql: 'm.number' },
      { key: 'convenedOn', label: '召开日期', sql: `to_char(m.convened_on, 'YYYY-MM-DD')` },
      { key: 'status', label: '状态', sql: `CASE m.status WHEN 'scheduled' THEN '筹备中' WHEN 'held' THEN '已召开' ELSE '已办结' END` },
      { key: 'decisions', label: '决定事项', sql: `coalesce(jsonb_array_length(m.minutes->'decisions'), 0)` },
      { key: 'agendaDocumentId', label: '议程', sql: 'm.agenda_document_id', document: true },
      { key: 'minutesDocumentId', label: '会议纪要', sql: 'm.minutes_document_id', document: true },
    ],
    search: ['m.id', 'm.number'],
    own: `EXISTS (SELECT 1 FROM supervision_item i WHERE i.source_kind = 'meeting' AND i.source_id = m.id AND (i.lead_department_id = $3 OR $3 = ANY(i.co_department_ids)))`,
    order: 'm.convened_on DESC NULLS FIRST, m.id DESC',
  },
  bulletins: {
    title: '督办事项专报台账',
    from: 'bulletin b',
    columns: [
      { key: 'id', label: '期次', sql: 'b.id' },
      { key: 'number', label: '文号', sql: 'b.number' },
      { key: 'compiledAt', label: '编发时间', sql: localTime('b.compiled_at') },
      { key: 'sentAt', label: '报送时间', sql: localTime('b.sent_at') },
      { key: 'documentId', label: '专报', sql: 'b.document_id', document: true },
    ],
    search: ['b.id', 'b.number'],
    // 专报 go to the county's leaders, not to the units they report on: no row is a unit's own
    // (written with $3 so the statement still types its parameter).
    own: '$3::text IS NULL',
    order: 'b.compiled_at DESC',
  },
  evaluations: {
    title: '年度成效评价台账',
    from: 'effectiveness_evaluation e',
    columns: [
      { key: 'year', label: '年度', sql: 'e.year' },
      { key: 'indicators', label: '评价指标数', sql: `coalesce(jsonb_array_length(e.outcomes), 0)` },
      { key: 'improved', label: '化解或好转', sql: `(SELECT count(*)::int FROM jsonb_array_elements(coalesce(e.outcomes, '[]')) o WHERE o->>'outcome' IN ('resolved','improved'))` },
      { key: 'publishedAt', label: '发布时间', sql: localTime('e.published_at') },
      { key: 'seminarOn', label: '成效研讨会', sql: `to_char(e.seminar_on, 'YYYY-MM-DD')` },
      { key: 'scoreSheetDocumentId', label: '考核扣分表', sql: 'e.score_sheet_document_id', document: true },
      { key: 'publicReportDocumentId', label: '年度报告', sql: 'e.public_report_document_id', document: true },
    ],
    search: ['e.year::text'],
    // The published score sheet is read by every unit (第十八条).
    own: '(e.published_at IS NOT NULL AND $3::text IS NOT NULL)',
    order: 'e.year DESC',
  },
  deductions: {
    title: '考核扣分明细',
    from: 'deduction x',
    columns: [
      { key: 'year', label: '年度', sql: 'x.year' },
      { key: 'department', label: '单位', sql: unitName('x.department_id') },
      { key: 'category', label: '扣分（加分）事项', sql: `CASE x.category ${Object.entries(scoringCategoryLabels).map(([k, v]) => `WHEN '${k}' THEN '${v}'`).join(' ')} ELSE x.category END` },
      { key: 'points', label: '分值', sql: 'x.points::float8' },
      { key: 'evidence', label: '依据条数', sql: 'jsonb_array_length(x.evidence)' },
    ],
    search: [unitName('x.department_id'), 'x.category', 'x.year::text'],
    own: 'x.department_id = $3',
    order: 'x.year DESC, x.department_id, x.category',
  },
  documents: {
    title: '公文台账',
    from: 'document d',
    columns: [
      { key: 'number', label: '文号', sql: 'd.number' },
      { key: 'title', label: '标题', sql: 'd.title' },
      { key: 'recipients', label: '主送', sql: unitNames('d.recipients') },
      { key: 'cc', label: '抄送', sql: unitNames('d.cc') },
      { key: 'issuedOn', label: '成文日期', sql: `to_char(d.issued_on, 'YYYY-MM-DD')` },
      { key: 'audience', label: '公开范围', sql: `CASE d.audience WHEN 'public' THEN '公开' ELSE '内部' END` },
    ],
    search: ['d.number', 'd.title'],
    own: `(d.audience = 'public' OR $3 = ANY(d.recipients) OR $3 = ANY(d.cc))`,
    order: 'd.issued_on DESC, d.created_at DESC',
  },
};


/** A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is kept as text with a leading apostrophe. */
export function neutraliseCell(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export interface LedgerPage {
  kind: LedgerKind;
  title: string;
  columns: { key: string; label: string; document?: true }[];
  items: Record<string, string | number | null>[];
  total: number;
}

export function createLedgerService(deps: { db: DataSource }) {
  const { db } = deps;

  async function query(actor: Actor, kind: LedgerKind, o: { q?: string; limit: number; offset: number }): Promise<LedgerPage> {
    const spec = specs[kind];
    const pattern = o.q?.trim() ? `%${o.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : '';
    const rows = await db.query<(Record<string, string | number | string[] | null> & { _total: string })[]>(
      `SELECT ${spec.columns.map((c) => `${c.sql} AS "${c.key}"`).join(', ')}, count(*) OVER () AS _total
       FROM ${spec.from}
       WHERE ($1 OR ${spec.own}) AND ($2 = '' OR concat_ws(' ', ${spec.search.join(', ')}) ILIKE $2)
       ORDER BY ${spec.order} LIMIT $4 OFFSET $5`,
      [seesCounty(actor), pattern, actor.departmentId ?? '', o.limit, o.offset],
    );
    const listed = new Set(spec.columns.filter((c) => c.indicators).map((c) => c.key));
    const names = listed.size > 0 ? await indicatorNames(db) : new Map<string, string>();
    const cell = (key: string, value: string | number | string[] | null) => (listed.has(key) ? indicatorLabels(value as string[], names).join('、') : (value as string | number | null));
    return {
      kind,
      title: spec.title,
      columns: spec.columns.map(({ key, label, document }) => ({ key, label, ...(document ? { document } : {}) })),
      items: rows.map(({ _total, ...row }) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, cell(key, value)]))),
      total: Number(rows[0]?._total ?? 0),
    };
  }

  return {
    async page(actor: Actor, kind: LedgerKind, o: { q?: string; limit: number; offset: number }): Promise<LedgerPage> {
      const ledger = await query(actor, kind, o);
      await writeAudit(db, actor, {
        action: 'ledger.read',
        entityType: 'ledger',
        entityId: kind,
        departmentId: actor.departmentId,
        after: { q: o.q ?? null, offset: o.offset, rows: ledger.items.length, total: ledger.total },
      });
      return ledger;
    },

    /** The whole filtered ledger (up to 10,000 rows) as an .xlsx workbook. */
    async exportXlsx(actor: Actor, kind: LedgerKind, q?: string): Promise<{ fileName: string; data: Buffer }> {
      const ledger = await query(actor, kind, { q, limit: 10_000, offset: 0 });
      const columns = ledger.columns.filter((c) => !c.document);
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet(ledger.title);
      sheet.columns = columns.map((c) => ({ header: c.label, key: c.key, width: Math.max(10, c.label.length * 2 + 4) }));
      for (const row of ledger.items) sheet.addRow(Object.fromEntries(columns.map((c) => [c.key, neutraliseCell(row[c.key])])));
      sheet.getRow(1).font = { bold: true };
      const data = Buffer.from(await workbook.xlsx.writeBuffer());
      await writeAudit(db, actor, {
        action: 'ledger.export',
        entityType: 'ledger',
        entityId: kind,
        departmentId: actor.departmentId,
        after: { q: q ?? null, rows: ledger.items.length, format: 'xlsx' },
        sha256: createHash('sha256').update(data).digest('hex'),
      });
      return { fileName: `${ledger.title}.xlsx`, data };
    },
  };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
