import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerKind } from '../../src/services/ledgers.ts';
import { uniqueSuffix } from '../support/database.ts';
import type { ApiClient } from '../support/http-client.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signedInUser } from '../support/users.ts';

/**
 * CSV/formula injection (OWASP): every text a person or a unit wrote that reaches a ledger export
 * starting with = + - @, a tab or a carriage return must leave as text (a leading apostrophe), in
 * every text column of every ledger, while numbers stay number cells and dates stay as written.
 * Each ledger gets one record per prefix, stored in the database as the loop would leave it, and is
 * downloaded through the HTTP API.
 */
describe('ledger exports: formula prefixes neutralised in every text column', () => {
  let system: TestSystem;
  let office: ApiClient;
  const tag = uniqueSuffix();
  const year = 2961;
  const prefixes = ['=', '+', '-', '@', '\t', '\r'] as const;
  const rows = prefixes.map((_, i) => i);
  /** A text as an attacker would write it: a formula prefix, then something recognisable. */
  const hostile = (what: string, i: number) => `${prefixes[i]}${what}${tag}#${i}`;
  const unitId = (i: number) => `x-${tag}-${i}`;
  /** Unit names are text an admin types: they start with the prefixes too. */
  const unit = (i: number) => hostile('单位', i);
  const next = (i: number) => (i + 1) % prefixes.length;

  type Cells = Record<string, string | number>;
  interface LedgerExpectation {
    /** The search that finds this test's records, and how many rows it finds. */
    q: string;
    rows: number[];
    /** What the row of record `i` holds in each text column (before neutralising) and each number column. */
    text(i: number): Cells;
    numbers(i: number): Cells;
    dates: string[];
    /** Columns filled from the ledger's own fixed Chinese words (状态, 是/否 …). */
    words: string[];
  }

  // A Record over every kind: a new ledger fails the type check until it has its expectation here.
  const ledgers: Record<LedgerKind, LedgerExpectation> = {
    notices: {
      q: tag,
      rows,
      text: (i) => ({ number: hostile('提示函', i), round: hostile('轮次', i), department: unit(i), indicators: hostile('指标', i) }),
      numbers: () => ({}),
      dates: ['issuedAt', 'dueDate', 'answeredAt'],
      words: ['status'],
    },
    measures: {
      q: tag,
      rows,
      text: (i) => ({ notice: hostile('提示函', i), department: unit(i), content: hostile('措施', i), owner: hostile('责任人', i), responsible: unit(next(i)), indicators: hostile('指标', i) }),
      numbers: () => ({ version: 1 }),
      dates: ['deadline'],
      words: ['late', 'review'],
    },
    items: {
      q: tag,
      rows,
      text: (i) => ({ number: hostile('督办', i), title: hostile('事项', i), lead: unit(i), co: unit(next(i)) }),
      numbers: (i) => ({ returned: i }),
      dates: ['deadline'],
      words: ['status', 'stage', 'onTime'],
    },
    interviews: {
      q: tag,
      rows,
      text: (i) => ({ number: hostile('约谈', i), department: unit(i), item: hostile('事项', i), reason: hostile('事由', i), report: hostile('整改报告', i) }),
      numbers: () => ({}),
      dates: ['heldAt', 'deadline'],
      words: [],
    },
    listings: {
      q: tag,
      rows,
      text: (i) => ({ number: hostile('挂牌', i), department: unit(i), problem: hostile('问题', i) }),
      numbers: () => ({ reports: 2 }),
      dates: ['deadline', 'acceptedAt', 'delistedAt'],
      words: [],
    },
    meetings: {
      q: tag,
      rows,
      text: (i) => ({ id: hostile('会议', i), number: hostile('纪要', i) }),
      numbers: () => ({ decisions: 3 }),
      dates: ['convenedOn'],
      words: ['status'],
    },
    bulletins: {
      q: tag,
      rows,
      text: (i) => ({ id: hostile('专报', i), number: hostile('专报文号', i) }),
      numbers: () => ({}),
      dates: ['compiledAt', 'sentAt'],
      words: [],
    },
    // No column a person writes: the test holds it to its numbers and dates.
    evaluations: {
      q: String(year),
      rows: [0],
      text: () => ({}),
      numbers: () => ({ year, indicators: 3, improved: 2 }),
      dates: ['publishedAt', 'seminarOn'],
      words: [],
    },
    deductions: {
      q: tag,
      rows,
      // An unknown category shows as stored.
      text: (i) => ({ department: unit(i), category: hostile('扣分事项', i) }),
      // Negative: a minus sign on a number is no formula.
      numbers: (i) => ({ year, points: -(i + 0.5), evidence: 1 }),
      dates: [],
      words: [],
    },
    documents: {
      q: tag,
      rows,
      text: (i) => ({ number: hostile('文号', i), title: hostile('标题', i), recipients: unit(i), cc: unit(next(i)) }),
      numbers: () => ({}),
      dates: ['issuedOn'],
      words: ['audience'],
    },
  };

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false });
    const { db } = system.services;
    const hex = () => randomBytes(32).toString('hex');
    for (const i of rows) {
      await db.query(`INSERT INTO department (id, name, kind, email) VALUES ($1, $2, 'township', 'x@tanghe.gov.example')`, [unitId(i), unit(i)]);
    }
    await db.query(
      `INSERT INTO effectiveness_evaluation (year, outcomes, published_at, seminar_on)
       VALUES ($1, '[{"outcome":"resolved"},{"outcome":"improved"},{"outcome":"worse"}]', now(), '2962-01-20')`,
      [year],
    );
    for (const i of rows) {
      const h = (what: string) => hostile(what, i);
      await db.query(`INSERT INTO assessment_round (id, kind, period_start, period_end) VALUES ($1, 'half_year', '2960-01-01', '2960-06-30')`, [h('轮次')]);
      const [notice] = await db.query(
        `INSERT INTO risk_notice (round_id, department_id, number, indicator_ids, due_date, status, answered_at)
         VALUES ($1, $2, $3, $4, now() + interval '15 days', 'answered', now()) RETURNING id`,
        [h('轮次'), unitId(i), h('提示函'), [h('指标')]],
      );
      const [opinion] = await db.query(`INSERT INTO work_opinion (notice_id, version, analysis, submitted_by) VALUES ($1, 1, $2, 'test') RETURNING id`, [notice.id, h('分析')]);
      await db.query(
        `INSERT INTO measure (opinion_id, seq, content, owner_name, responsible_department_id, deadline, indicator_ids) VALUES ($1, 1, $2, $3, $4, '2960-09-30', $5)`,
        [opinion.id, h('措施'), h('责任人'), unitId(next(i)), [h('指标')]],
      );
      const [item] = await db.query(
        `INSERT INTO supervision_item (business_key, number, title, source_kind, source_id, lead_department_id, co_department_ids, requirements, deadline, returned_count, result_on_time)
         VALUES ($1, $2, $3, 'meeting', 'export-test', $4, $5, $6, now() + interval '30 days', $7, true) RETURNING id`,
        [`export:${tag}:${i}`, h('督办'), h('事项'), unitId(i), [unitId(next(i))], h('要求'), i],
      );
      await db.query(
        `INSERT INTO interview (item_id, number, department_id, reason, held_at, rectification_deadline, record) VALUES ($1, $2, $3, $4, now(), now() + interval '10 days', $5)`,
        [item.id, h('约谈'), unitId(i), h('事由'), { rectificationReport: h('整改报告') }],
      );
      await db.query(
        `INSERT INTO listing (item_id, number, department_id, problem, deadline, monthly_reports, accepted_at, delisted_at) VALUES ($1, $2, $3, $4, now(), '[{},{}]', now(), now())`,
        [item.id, h('挂牌'), unitId(i), h('问题')],
      );
      await db.query(`INSERT INTO joint_meeting (id, number, convened_on, minutes, status) VALUES ($1, $2, '2960-07-20', '{"decisions":[{},{},{}]}', 'held')`, [h('会议'), h('纪要')]);
      await db.query(`INSERT INTO bulletin (id, number, content, sent_at) VALUES ($1, $2, '{}', now())`, [h('专报'), h('专报文号')]);
      await db.query(`INSERT INTO deduction (year, department_id, category, points, evidence) VALUES ($1, $2, $3, $4, $5)`, [year, unitId(i), h('扣分事项'), -(i + 0.5), JSON.stringify([{ kind: 'test', id: tag }])]);
      await db.query(
        `INSERT INTO document (kind, number, title, sha256, docx, docx_sha256, pdf, pdf_sha256, text_body, audience, recipients, cc, issued_on, created_by)
         VALUES ('test', $1, $2, $3, '\\x00', $4, '\\x00', $5, '', 'internal', $6, $7, '2960-08-01', 'test')`,
        [h('文号'), h('标题'), hex(), hex(), hex(), [unitId(i)], [unitId(next(i))]],
      );
    }
    office = (await signedInUser(system, ['peace_office'], 'pab')).client;
  });

  afterAll(async () => {
    // Other test files of the run list units and ledgers: take every record of this one away again.
    const db = system?.services.db;
    if (db) {
      const units = rows.map(unitId);
      await db.query(`DELETE FROM document WHERE recipients && $1`, [units]);
      await db.query(`DELETE FROM deduction WHERE year = $1`, [year]);
      await db.query(`DELETE FROM effectiveness_evaluation WHERE year = $1`, [year]);
      await db.query(`DELETE FROM bulletin WHERE id LIKE $1`, [`%${tag}#%`]);
      await db.query(`DELETE FROM joint_meeting WHERE id LIKE $1`, [`%${tag}#%`]);
      await db.query(`DELETE FROM listing WHERE department_id = ANY($1)`, [units]);
      await db.query(`DELETE FROM interview WHERE department_id = ANY($1)`, [units]);
      await db.query(`DELETE FROM supervision_item WHERE lead_department_id = ANY($1)`, [units]);
      await db.query(`DELETE FROM measure WHERE responsible_department_id = ANY($1)`, [units]);
      await db.query(`DELETE FROM work_opinion WHERE notice_id IN (SELECT id FROM risk_notice WHERE department_id = ANY($1))`, [units]);
      await db.query(`DELETE FROM risk_notice WHERE department_id = ANY($1)`, [units]);
      await db.query(`DELETE FROM assessment_round WHERE id LIKE $1`, [`%${tag}#%`]);
      await db.query(`DELETE FROM department WHERE id = ANY($1)`, [units]);
    }
    await system?.stop();
  });

  const formula = /^[=+\-@\t\r]/;
  /** A workbook is XML: every reader (Excel's too) takes a carriage return inside a cell as a line feed. */
  const asRead = (value: string | number) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value);

  it.each(Object.keys(ledgers) as LedgerKind[])('when the %s ledger is exported, then every text cell starting a formula is kept as text and numbers and dates are untouched', async (kind) => {
    const expected = ledgers[kind];
    const page = await office.request('GET', `/api/ledgers/${kind}?limit=1`);
    expect(page.status).toBe(200);
    const columns = (page.body.columns as { key: string; label: string; document?: true }[]).filter((c) => !c.document);
    // Every exported column is accounted for: a new text column cannot slip past this test.
    const sample = { ...expected.text(0), ...expected.numbers(0) };
    expect(columns.map((c) => c.key).sort()).toEqual([...Object.keys(sample), ...expected.dates, ...expected.words].sort());

    const res = await fetch(`${system.baseUrl}/api/ledgers/${kind}/export?q=${encodeURIComponent(expected.q)}`, { headers: { cookie: office.cookieHeader() } });
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...columns.map((c) => c.label)]);
    expect(sheet.rowCount - 1).toBe(expected.rows.length);
    const at = (row: ExcelJS.Row, key: string) => row.getCell(columns.findIndex((c) => c.key === key) + 1).value;

    for (const i of expected.rows) {
      const text = expected.text(i);
      const numbers = expected.numbers(i);
      const [anchor, anchorValue] = Object.entries({ ...text, ...numbers })[0]!;
      const matching = sheet.getRows(2, sheet.rowCount - 1)!.filter((row) => String(at(row, anchor)).endsWith(String(asRead(anchorValue))));
      expect(matching, `${kind} record ${i}`).toHaveLength(1);
      const row = matching[0]!;
      for (const [key, value] of Object.entries(text)) expect(at(row, key), `${kind}.${key} of record ${i}`).toBe(asRead(`'${value}`));
      for (const [key, value] of Object.entries(numbers)) expect(at(row, key), `${kind}.${key} of record ${i}`).toBe(value);
      for (const key of expected.dates) expect(at(row, key), `${kind}.${key} of record ${i}`).toMatch(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$/);
      for (const key of expected.words) expect(at(row, key), `${kind}.${key} of record ${i}`).toMatch(/^[\u4e00-\u9fff]+$/);
    }
    // And no cell anywhere in the sheet, header included, starts a formula.
    const cells: unknown[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell.value)));
    expect(cells.filter((v) => typeof v === 'string' && formula.test(v))).toEqual([]);
  });
});
