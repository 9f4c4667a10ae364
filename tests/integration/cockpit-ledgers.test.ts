import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/services/actor.ts';
import { ledgerKinds } from '../../src/services/ledgers.ts';
import { computedRound } from '../support/case-data.ts';
import { uniqueSuffix } from '../support/database.ts';
import { ApiClient } from '../support/http-client.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signedInUser } from '../support/users.ts';

/**
 * 驾驶舱, 台账 and the public report over HTTP on the real database: a township sees its own
 * items only and searches them; the export is an .xlsx whose formula-looking cells stay text;
 * indicator counts under 5 leave the court as "<5"; the public page shows aggregates only.
 */
describe('cockpit, ledgers and the public report', () => {
  let system: TestSystem;
  const roundId = `C${uniqueSuffix()}-2025-H1`;
  const tag = uniqueSuffix();
  const clients: Record<'court' | 'office' | 'qiyi' | 'cangtai' | 'admin', ApiClient> = {} as never;

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false });
    const { services } = system;
    await computedRound(services, roundId);
    const register = (title: string, lead: string, co: string[], deadline: string) =>
      services.supervision.register(systemActor, {
        businessKey: `ledger:${tag}:${title}`,
        title,
        sourceKind: 'meeting',
        sourceId: roundId,
        leadDepartmentId: lead,
        coDepartmentIds: co,
        requirements: '按期办结',
        deadline,
      });
    const past = new Date(Date.now() - 5 * 86_400_000).toISOString();
    const later = new Date(Date.now() + 30 * 86_400_000).toISOString();
    await register(`祁仪镇矛盾排查${tag}`, 'town-qiyi', [], past);
    await register(`=HYPERLINK("http://evil.example","点我")${tag}`, 'town-qiyi', [], later);
    await register(`苍台镇协办事项${tag}`, 'town-cangtai', ['town-qiyi'], later);
    await register(`苍台镇独办事项${tag}`, 'town-cangtai', [], later);
    for (const [key, roles, department] of [
      ['court', ['court_analyst'], 'court'],
      ['office', ['peace_office'], 'pab'],
      ['qiyi', ['department'], 'town-qiyi'],
      ['cangtai', ['department'], 'town-cangtai'],
      ['admin', ['admin'], null],
    ] as const) {
      clients[key] = (await signedInUser(system, [...roles], department)).client;
    }
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('when a township opens the items ledger, then it sees the items it leads or co-handles and search narrows them', async () => {
    const mine = await clients.qiyi.request('GET', `/api/ledgers/items?q=${encodeURIComponent(tag)}`);
    expect(mine.status).toBe(200);
    expect(mine.body.columns.map((c: { label: string }) => c.label)).toContain('督办编号');
    expect(mine.body.items.map((r: { title: string }) => r.title).sort()).toEqual(
      [`=HYPERLINK("http://evil.example","点我")${tag}`, `祁仪镇矛盾排查${tag}`, `苍台镇协办事项${tag}`].sort(),
    );
    const narrowed = await clients.qiyi.request('GET', `/api/ledgers/items?q=${encodeURIComponent(`矛盾排查${tag}`)}`);
    expect(narrowed.body.total).toBe(1);
    // A search pattern is text, not SQL LIKE syntax.
    expect((await clients.qiyi.request('GET', `/api/ledgers/items?q=${encodeURIComponent('%')}`)).body.items.every((r: { title: string }) => r.title.includes('%'))).toBe(true);
    const office = await clients.office.request('GET', `/api/ledgers/items?q=${encodeURIComponent(tag)}`);
    expect(office.body.total).toBe(4);
    const bad = await clients.qiyi.request('GET', '/api/ledgers/budgets');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('台账类型');
  });

  it('when every ledger is opened by the office and by a township, then each answers in Chinese and a township sees only its own deductions', async () => {
    for (const kind of ledgerKinds) {
      for (const who of ['office', 'qiyi'] as const) {
        const res = await clients[who].request('GET', `/api/ledgers/${kind}?limit=5`);
        expect(res.status, `${who} ${kind}`).toBe(200);
        expect(res.body.title).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    const { db } = system.services;
    await db.query(`INSERT INTO effectiveness_evaluation (year) VALUES (2997) ON CONFLICT DO NOTHING`);
    for (const [department, category] of [['town-qiyi', 'interview'], ['town-cangtai', 'returned']]) {
      await db.query(`INSERT INTO deduction (year, department_id, category, points, evidence) VALUES (2997, $1, $2, -2, '[{"kind":"supervision_item","id":"x"}]') ON CONFLICT DO NOTHING`, [department, category]);
    }
    try {
      const own = await clients.qiyi.request('GET', '/api/ledgers/deductions?q=2997');
      expect(own.body.items).toEqual([{ year: 2997, department: '祁仪镇人民政府', category: '被约谈', points: -2, evidence: 1 }]);
      expect((await clients.office.request('GET', '/api/ledgers/deductions?q=2997')).body.total).toBe(2);
    } finally {
      await db.query(`DELETE FROM deduction WHERE year = 2997`);
      await db.query(`DELETE FROM effectiveness_evaluation WHERE year = 2997`);
    }
  });

  it('when the ledger is exported, then the .xlsx has the Chinese headers and a formula-looking title stays text', async () => {
    const res = await fetch(`${system.baseUrl}/api/ledgers/items/export?q=${encodeURIComponent(tag)}`, { headers: { cookie: clients.qiyi.cookieHeader() } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('督办事项台账.xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toContain('督办事项');
    const titles = sheet.getColumn(2).values.slice(2) as unknown[];
    expect(titles).toHaveLength(3);
    expect(titles).toContain(`'=HYPERLINK("http://evil.example","点我")${tag}`);
    expect(titles.every((t) => typeof t === 'string')).toBe(true);
  });

  it('when the cockpit is opened, then the planted risk is high, small counts are "<5" outside the court, and a township counts its own items', async () => {
    const court = await clients.court.request('GET', `/api/cockpit?roundId=${roundId}`);
    const qiyi = await clients.qiyi.request('GET', `/api/cockpit?roundId=${roundId}`);
    expect(court.status).toBe(200);
    expect(court.body.round.id).toBe(roundId);
    expect(court.body.regions).toHaveLength(24);
    const cell = (body: { cells: { indicatorId: string; region: string; level: string; value: number | null; suppressed: boolean }[] }, id: string, region: string) =>
      body.cells.find((c) => c.indicatorId === id && c.region === region)!;
    expect(['high', 'critical']).toContain(cell(court.body, 'B2', 'county').level);
    const suppressed = qiyi.body.cells.filter((c: { suppressed: boolean }) => c.suppressed);
    expect(suppressed.length).toBeGreaterThan(0);
    for (const s of suppressed.slice(0, 20)) {
      expect(s.value).toBeNull();
      expect(cell(court.body, s.indicatorId, s.region).suppressed).toBe(false);
    }
    // 祁仪镇: one overdue item it leads, two in time (one led, one co-handled).
    expect(qiyi.body.counts.items.red).toBeGreaterThanOrEqual(1);
    expect(qiyi.body.counts.items.red + qiyi.body.counts.items.yellow + qiyi.body.counts.items.green).toBe(
      (await system.services.db.query(`SELECT 1 FROM supervision_item WHERE status <> 'closed' AND (lead_department_id = 'town-qiyi' OR 'town-qiyi' = ANY(co_department_ids))`)).length,
    );
    expect((await clients.qiyi.request('GET', '/api/cockpit?roundId=no-such-round')).status).toBe(404);
  });

  it('when the admin saves a definition, then it is a new version beside the old one; a bad one names its field; the office tries a threshold first', async () => {
    const [latest] = (await clients.admin.request('GET', '/api/indicators/B6/versions')).body as { version: number; definition: Record<string, unknown> }[];
    const saved = await clients.admin.request('POST', '/api/indicators', latest!.definition);
    expect(saved.status).toBe(201);
    expect(saved.body).toEqual({ id: 'B6', version: latest!.version + 1 });
    const versions = (await clients.office.request('GET', '/api/indicators/B6/versions')).body as { version: number }[];
    expect(versions.slice(0, 2).map((v) => v.version)).toEqual([latest!.version + 1, latest!.version]);
    const bad = await clients.admin.request('POST', '/api/indicators', { ...latest!.definition, minN: -1 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('minN');
    expect((await clients.office.request('POST', '/api/indicators', latest!.definition)).status).toBe(403);

    // A guard of 100,000 cases caps B2's levels at 中: the 民间借贷 risk leaves the notice list.
    const tried = await clients.office.request('POST', `/api/rounds/${roundId}/what-if`, { changes: [{ indicatorId: 'B2', definition: { minN: 100_000, floors: [] } }] });
    expect(tried.status, JSON.stringify(tried.body)).toBe(200);
    expect(tried.body.changedLevels.some((l: { indicatorId: string; region: string }) => l.indicatorId === 'B2' && l.region === 'county')).toBe(true);
    expect(tried.body.before.map((r: { departmentId: string }) => r.departmentId)).toContain('jrj');
    const badTry = await clients.office.request('POST', `/api/rounds/${roundId}/what-if`, { changes: [{ indicatorId: 'B2', definition: { minN: -5 } }] });
    expect(badTry.status).toBe(400);
    // The answer derives from case data: the try is audited, the refused one is not.
    expect(await system.services.db.query(`SELECT after FROM audit_log WHERE action = 'round.what_if' AND entity_id = $1`, [roundId])).toEqual([
      { after: { indicators: ['B2'], changedLevels: tried.body.changedLevels.length } },
    ]);
  });

  it('when a township reads a ledger, exports it and opens the cockpit, then each is audited with who, what and how many rows', async () => {
    const { user, client } = await signedInUser(system, ['department'], 'town-qiyi');
    const audited = async () =>
      system.services.db.query(`SELECT action, entity_type, entity_id, department_id, after FROM audit_log WHERE actor_id = $1 ORDER BY id`, [user.id]);
    expect((await client.request('GET', `/api/ledgers/items?q=${encodeURIComponent(tag)}&limit=2`)).status).toBe(200);
    const exported = await fetch(`${system.baseUrl}/api/ledgers/items/export?q=${encodeURIComponent(tag)}`, { headers: { cookie: client.cookieHeader() } });
    const file = Buffer.from(await exported.arrayBuffer());
    expect((await client.request('GET', `/api/cockpit?roundId=${roundId}`)).status).toBe(200);
    const rows = await audited();
    expect(rows.filter((r: { action: string }) => r.action !== 'auth.login')).toEqual([
      { action: 'ledger.read', entity_type: 'ledger', entity_id: 'items', department_id: 'town-qiyi', after: { q: tag, offset: 0, rows: 2, total: 3 } },
      { action: 'ledger.export', entity_type: 'ledger', entity_id: 'items', department_id: 'town-qiyi', after: { q: tag, rows: 3, format: 'xlsx' } },
      { action: 'cockpit.read', entity_type: 'assessment_round', entity_id: roundId, department_id: 'town-qiyi', after: { cells: expect.any(Number), suppressed: expect.any(Number) } },
    ]);
    const [exportRow] = await system.services.db.query(`SELECT sha256 FROM audit_log WHERE actor_id = $1 AND action = 'ledger.export'`, [user.id]);
    expect(exportRow.sha256).toBe(createHash('sha256').update(file).digest('hex'));
    // A refused read (a round that does not exist) leaves no row: only what was shown is recorded.
    expect((await client.request('GET', '/api/cockpit?roundId=no-such-round')).status).toBe(404);
    expect((await audited()).length).toBe(rows.length);
  });

  it('when a year is published, then anyone reads its aggregates without logging in', async () => {
    const { db } = system.services;
    await db.query(
      `INSERT INTO effectiveness_evaluation (year, outcomes, published_at) VALUES (2999, $1, now()) ON CONFLICT (year) DO UPDATE SET outcomes = EXCLUDED.outcomes, published_at = now()`,
      [JSON.stringify([{ indicatorId: 'B2', regionId: 'county', outcome: 'improved' }, { indicatorId: 'C4', regionId: 'county', outcome: 'resolved' }])],
    );
    try {
      const res = await fetch(`${system.baseUrl}/api/public/report`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { year: number; outcomes: unknown[]; byDomain: unknown[] };
      expect(body.year).toBe(2999);
      expect(body.outcomes).toEqual(expect.arrayContaining([{ outcome: 'improved', label: expect.any(String), count: 1 }, { outcome: 'resolved', label: expect.any(String), count: 1 }]));
      expect(body.byDomain.length).toBeGreaterThan(0);
    } finally {
      await db.query(`DELETE FROM effectiveness_evaluation WHERE year = 2999`);
    }
  });
});
