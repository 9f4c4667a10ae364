import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerKinds, type LedgerKind } from '../../src/services/ledgers.ts';
import { uniqueSuffix } from '../support/database.ts';
import type { ApiClient } from '../support/http-client.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signedInUser } from '../support/users.ts';

/**
 * A department's ledger export holds its own rows only (issue 20): for every ledger kind, rows
 * owned by 人社局 (rsj, "own") and by 住建局 (zjj, "foreign") are stored as the loop leaves them,
 * each with a text of its own; 人社局's .xlsx holds each own text and no foreign one, while the
 * office's export holds both (so the foreign rows are real and exportable). Where a ledger has
 * no department owner, its rule is asserted as the ledger spec (src/services/ledgers.ts) states it.
 */
describe('ledger exports: a department exports its own rows only', () => {
  let system: TestSystem;
  let department: ApiClient;
  let office: ApiClient;
  const tag = `scope${uniqueSuffix()}`;
  /** A text that appears in exactly one row of one ledger. */
  const text = (kind: string, who: string) => `${tag}-${kind}-${who}`;
  const [publishedYear, draftYear] = [2971, 2972];

  interface Expectation {
    /** Why a row is the department's (the ledger spec's `own` clause), in words. */
    rule: string;
    /** Texts (or numbers) of rows 人社局 must find in its export. */
    own: (string | number)[];
    /** Texts (or numbers) of rows stored for others: never in 人社局's export, all in the office's. */
    foreign: (string | number)[];
  }

  // A Record over every kind: a new ledger fails the type check until it has its case here.
  const ledgers: Record<LedgerKind, Expectation> = {
    notices: { rule: 'addressed to the department', own: [text('notice', 'own')], foreign: [text('notice', 'foreign')] },
    measures: {
      rule: 'its notice is addressed to the department, or the department is responsible for the measure',
      own: [text('measure', 'own'), text('measure', 'responsible')],
      foreign: [text('measure', 'foreign')],
    },
    items: { rule: 'led or co-handled by the department', own: [text('item', 'own'), text('item', 'co')], foreign: [text('item', 'foreign')] },
    interviews: { rule: 'the interviewed unit', own: [text('interview', 'own')], foreign: [text('interview', 'foreign')] },
    listings: { rule: 'the listed unit', own: [text('listing', 'own')], foreign: [text('listing', 'foreign')] },
    meetings: {
      rule: 'a meeting that registered an item the department leads or co-handles',
      own: [text('meeting', 'own'), text('meeting', 'co')],
      foreign: [text('meeting', 'foreign')],
    },
    // 专报 go to the county's leaders, not to the units they report on: no row is a unit's own.
    bulletins: { rule: 'none: no department exports a 专报', own: [], foreign: [text('bulletin', 'a'), text('bulletin', 'b')] },
    // The published score sheet is read by every unit (第十八条); a draft year by none.
    evaluations: { rule: 'published years, for every unit; no unit owns a year', own: [publishedYear], foreign: [draftYear] },
    deductions: { rule: 'the department\'s own lines', own: [text('deduction', 'own')], foreign: [text('deduction', 'foreign')] },
    documents: {
      rule: 'addressed (主送 or 抄送) to the department, or public',
      own: [text('document', 'own'), text('document', 'cc'), text('document', 'public')],
      foreign: [text('document', 'foreign')],
    },
  };

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false });
    const { db } = system.services;
    const round = `${tag}-round`;
    await db.query(`INSERT INTO assessment_round (id, kind, period_start, period_end) VALUES ($1, 'half_year', '2970-01-01', '2970-06-30')`, [round]);
    const notice = async (departmentId: string, number: string) =>
      (
        await db.query<{ id: string }[]>(
          `INSERT INTO risk_notice (round_id, department_id, number, indicator_ids, due_date, status, answered_at)
           VALUES ($1, $2, $3, '{B5}', now() + interval '15 days', 'answered', now()) RETURNING id`,
          [round, departmentId, number],
        )
      )[0]!.id;
    // notices (one per round and unit) and measures: 人社局's own, 住建局's with a measure 人社局 is responsible for, 住建局's own.
    const ownNotice = await notice('rsj', text('notice', 'own'));
    const foreignNotice = await notice('zjj', text('notice', 'foreign'));
    const opinion = async (noticeId: string) =>
      (await db.query<{ id: string }[]>(`INSERT INTO work_opinion (notice_id, version, analysis, submitted_by) VALUES ($1, 1, '经分析研判，风险集中。', 'test') RETURNING id`, [noticeId]))[0]!.id;
    const measure = (opinionId: string, seq: number, content: string, responsible: string) =>
      db.query(
        `INSERT INTO measure (opinion_id, seq, content, owner_name, responsible_department_id, deadline, indicator_ids) VALUES ($1, $2, $3, '赵科长', $4, '2970-09-30', '{B5}')`,
        [opinionId, seq, content, responsible],
      );
    const [ownOpinion, foreignOpinion] = [await opinion(ownNotice), await opinion(foreignNotice)];
    await measure(ownOpinion, 1, text('measure', 'own'), 'rsj');
    await measure(foreignOpinion, 1, text('measure', 'responsible'), 'rsj');
    await measure(foreignOpinion, 2, text('measure', 'foreign'), 'zjj');
    // items, each from a meeting of its own, with an interview and a listing of the lead unit.
    const item = async (title: string, lead: string, co: string[], meeting: string) => {
      await db.query(`INSERT INTO joint_meeting (id, number, convened_on, minutes, status) VALUES ($1, $2, '2970-07-20', '{"decisions":[{}]}', 'held')`, [meeting, `${meeting}-纪要`]);
      return (
        await db.query<{ id: string }[]>(
          `INSERT INTO supervision_item (business_key, title, source_kind, source_id, lead_department_id, co_department_ids, requirements, deadline)
           VALUES ($1, $2, 'meeting', $3, $4, $5, '按期办结', now() + interval '30 days') RETURNING id`,
          [`${tag}:${title}`, title, meeting, lead, co],
        )
      )[0]!.id;
    };
    const ownItem = await item(text('item', 'own'), 'rsj', [], text('meeting', 'own'));
    await item(text('item', 'co'), 'zjj', ['rsj'], text('meeting', 'co'));
    const foreignItem = await item(text('item', 'foreign'), 'zjj', [], text('meeting', 'foreign'));
    // Deductions belong to an evaluation year.
    await db.query(`INSERT INTO effectiveness_evaluation (year, outcomes, published_at) VALUES ($1, '[]', now()), ($2, '[]', NULL)`, [publishedYear, draftYear]);
    for (const [itemId, departmentId, who] of [[ownItem, 'rsj', 'own'], [foreignItem, 'zjj', 'foreign']] as const) {
      await db.query(`INSERT INTO interview (item_id, number, department_id, reason, held_at, rectification_deadline, record) VALUES ($1, $2, $3, $4, now(), now() + interval '10 days', '{}')`, [
        itemId,
        `${tag}-约谈-${who}`,
        departmentId,
        text('interview', who),
      ]);
      await db.query(`INSERT INTO listing (item_id, number, department_id, problem, deadline, monthly_reports) VALUES ($1, $2, $3, $4, now(), '[]')`, [
        itemId,
        `${tag}-挂牌-${who}`,
        departmentId,
        text('listing', who),
      ]);
      await db.query(`INSERT INTO deduction (year, department_id, category, points, evidence) VALUES ($1, $2, $3, -1, '[]')`, [publishedYear, departmentId, text('deduction', who)]);
    }
    for (const who of ['a', 'b']) await db.query(`INSERT INTO bulletin (id, number, content, sent_at) VALUES ($1, $2, '{}', now())`, [text('bulletin', who), `${tag}-专报-${who}`]);
    const hex = () => randomBytes(32).toString('hex');
    for (const [who, audience, recipients, cc] of [
      ['own', 'internal', ['rsj'], []],
      ['cc', 'internal', ['zjj'], ['rsj']],
      ['public', 'public', ['zjj'], []],
      ['foreign', 'internal', ['zjj'], ['gaj']],
    ] as const) {
      await db.query(
        `INSERT INTO document (kind, number, title, sha256, docx, docx_sha256, pdf, pdf_sha256, text_body, audience, recipients, cc, issued_on, created_by)
         VALUES ('test', $1, $2, $3, '\\x00', $4, '\\x00', $5, '', $6, $7, $8, '2970-08-01', 'test')`,
        [`${tag}-文号-${who}`, text('document', who), hex(), hex(), hex(), audience, recipients, cc],
      );
    }
    department = (await signedInUser(system, ['department'], 'rsj')).client;
    office = (await signedInUser(system, ['peace_office'], 'pab')).client;
  });

  afterAll(async () => {
    // Other test files of the run list units and ledgers: take every record of this one away again.
    const db = system?.services.db;
    if (db) {
      const like = `${tag}%`;
      await db.query(`DELETE FROM document WHERE number LIKE $1`, [like]);
      await db.query(`DELETE FROM deduction WHERE year = $1`, [publishedYear]);
      await db.query(`DELETE FROM effectiveness_evaluation WHERE year IN ($1, $2)`, [publishedYear, draftYear]);
      await db.query(`DELETE FROM bulletin WHERE id LIKE $1`, [like]);
      await db.query(`DELETE FROM listing WHERE number LIKE $1`, [like]);
      await db.query(`DELETE FROM interview WHERE number LIKE $1`, [like]);
      await db.query(`DELETE FROM supervision_item WHERE business_key LIKE $1`, [like]);
      await db.query(`DELETE FROM joint_meeting WHERE id LIKE $1`, [like]);
      await db.query(`DELETE FROM measure WHERE content LIKE $1`, [like]);
      await db.query(`DELETE FROM work_opinion WHERE notice_id IN (SELECT id FROM risk_notice WHERE number LIKE $1)`, [like]);
      await db.query(`DELETE FROM risk_notice WHERE number LIKE $1`, [like]);
      await db.query(`DELETE FROM assessment_round WHERE id LIKE $1`, [like]);
    }
    await system?.stop();
  });

  /** Every cell of the export's only sheet, header included. */
  async function exported(client: ApiClient, kind: LedgerKind): Promise<{ header: unknown[]; cells: unknown[]; rows: number }> {
    const res = await fetch(`${system.baseUrl}/api/ledgers/${kind}/export`, { headers: { cookie: client.cookieHeader() } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    const cells: unknown[] = [];
    sheet.eachRow((row, n) => n > 1 && row.eachCell((cell) => cells.push(cell.value)));
    return { header: (sheet.getRow(1).values as unknown[]).slice(1), cells, rows: sheet.rowCount - 1 };
  }

  it('when a ledger kind exists, then this test has its own and foreign rows', () => {
    expect(Object.keys(ledgers).sort()).toEqual([...ledgerKinds].sort());
  });

  it.each([...ledgerKinds])('when 人社局 exports the %s ledger, then its own rows are in the file and no other unit\'s', async (kind) => {
    const expected = ledgers[kind];
    const mine = await exported(department, kind);
    const all = await exported(office, kind);
    expect(mine.header, 'same columns for both').toEqual(all.header);
    // The office's export holds every stored row: the foreign rows are real.
    expect([...expected.own, ...expected.foreign].filter((v) => !all.cells.includes(v)), `${kind}: missing from the office's export`).toEqual([]);
    expect(expected.own.filter((v) => !mine.cells.includes(v)), `${kind} (${expected.rule}): own rows missing`).toEqual([]);
    expect(expected.foreign.filter((v) => mine.cells.includes(v)), `${kind} (${expected.rule}): foreign rows exported`).toEqual([]);
    if (kind === 'bulletins') expect(mine.rows, 'no 专报 is a unit\'s').toBe(0);
  });
});
