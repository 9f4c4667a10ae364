import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATE_KINDS } from '../../src/domain/cases/import-templates.ts';
import { defaultLoopSettings } from '../../src/engine/contract.ts';
import { routes } from '../../src/http/routes/index.ts';
import type { Role } from '../../src/services/actor.ts';
import { ledgerKinds } from '../../src/services/ledgers.ts';
import { computedRound } from '../support/case-data.ts';
import { uniqueSuffix } from '../support/database.ts';
import { docxParagraphs, pdfText, xlsxCells } from '../support/document-text.ts';
import type { ApiClient } from '../support/http-client.ts';
import { smallCountsIn, smallCountsInJson } from '../support/small-counts.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signedInUser } from '../support/users.ts';

/**
 * 第二十条 (issue 19 point 11): nobody outside the court sees a count under 5 of cases or persons —
 * not in the cockpit's cells or tooltips (reasons), the what-if, the trace, the ledgers and their
 * .xlsx, the inbox or the documents. A real round over the demo county is computed, its report
 * drafted and notices delivered; the court's own view is checked to show small counts (so the scan
 * can fail); then every non-court role logs in over HTTP and reads every GET route the route table
 * lets it reach — a GET route with a path parameter and no way here to fill it fails the test, so
 * a new route cannot escape the scan — and every file it can download. The detector
 * (tests/support/small-counts.ts) is written apart from the product's suppression.
 */

type Scanned = { role: string; what: string; text?: string; json?: unknown };

const roundId = `S${uniqueSuffix()}-2025-H1`;
let system: TestSystem;
let courtClient: ApiClient;
/** Units that got a notice in this round, townships first: the department users read their own. */
let noticeUnits: string[] = [];
/** The township cell whose notice quotes a reason with a count under 5 (the first notice). */
let smallCell = { region: '', indicatorId: '' };
/** A what-if that lifts 以乡镇政府为被告案件 (A4) to high in every township with a case: its reasons name counts under 5. */
const WHAT_IF = { changes: [{ indicatorId: 'A4', definition: { minN: 0, floors: [{ when: 'value_gte', value: 1, floor: 'high', scope: 'township' }] } }] };

/** The GET routes with a path parameter, and how a reader fills them from what it can list. */
const expanders: Record<string, (c: ApiClient) => Promise<string[]>> = {
  '/api/tasks/:key': async (c) => (await taskKeys(c)).map((k) => `/api/tasks/${k}`),
  '/api/tasks/:key/comments': async (c) => (await taskKeys(c)).map((k) => `/api/tasks/${k}/comments`),
  '/api/tasks/:key/attachments': async (c) => (await taskKeys(c)).map((k) => `/api/tasks/${k}/attachments`),
  // A user's own upload, stored as sent: not a figure the system computed from court data.
  '/api/tasks/:key/attachments/:id': async () => [],
  '/api/processes/:id/xml': async (c) => ((await c.request('GET', '/api/processes')).body as { id: string }[]).map((p) => `/api/processes/${p.id}/xml`),
  '/api/instances/:key': async (c) => ((await c.request('GET', '/api/instances?limit=200')).body.items as { key: string }[]).map((i) => `/api/instances/${i.key}`),
  '/api/documents/:id': async (c) => (await documentIds(c)).map((id) => `/api/documents/${id}`),
  '/api/documents/:id/file/:format': async (c) => (await documentIds(c)).flatMap((id) => [`/api/documents/${id}/file/docx`, `/api/documents/${id}/file/pdf`]),
  '/api/ledgers/:kind': async () => ledgerKinds.map((k) => `/api/ledgers/${k}?limit=200`),
  '/api/ledgers/:kind/export': async () => ledgerKinds.map((k) => `/api/ledgers/${k}/export`),
  '/api/trace/:kind/:id': async () => {
    const nodes = await system.db.query<{ kind: string; id: string }[]>(`SELECT from_kind AS kind, from_id AS id FROM trace_link UNION SELECT to_kind, to_id FROM trace_link`);
    return nodes.map((n) => `/api/trace/${n.kind}/${encodeURIComponent(n.id)}`);
  },
  '/api/indicators/:id/versions': async (c) => ((await c.request('GET', '/api/indicators')).body as { id: string }[]).map((d) => `/api/indicators/${d.id}/versions`),
  '/api/imports/templates/:kind': async () => TEMPLATE_KINDS.map((k) => `/api/imports/templates/${k}`),
  '/api/imports/templates/:kind/file': async () => TEMPLATE_KINDS.flatMap((k) => [`/api/imports/templates/${k}/file?format=xlsx`, `/api/imports/templates/${k}/file?format=csv`]),
};

/** Routes without parameters that take a query worth varying: the cockpit of every computed round. */
const variants: Record<string, (c: ApiClient) => Promise<string[]>> = {
  '/api/cockpit': async (c) => ['/api/cockpit', ...((await c.request('GET', '/api/cockpit')).body.rounds as { id: string }[]).map((r) => `/api/cockpit?roundId=${encodeURIComponent(r.id)}`)],
  '/api/tasks': async () => ['/api/tasks?limit=200'],
  '/api/instances': async () => ['/api/instances?limit=200'],
};

async function taskKeys(c: ApiClient): Promise<string[]> {
  return ((await c.request('GET', '/api/tasks?limit=200')).body.items as { key: string }[]).map((t) => t.key);
}

async function documentIds(c: ApiClient): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = (await c.request('GET', `/api/documents?limit=200&offset=${offset}`)).body.items as { id: string }[];
    ids.push(...page.map((d) => d.id));
    if (page.length < 200) return ids;
  }
}

const reaches = (access: (typeof routes)[number]['access'], role: Role) => access === 'public' || access === 'authenticated' || access.includes(role);

/** Every GET path a role reaches, from the route table; a parameter route without an expander is a failure. */
async function pathsFor(role: Role, client: ApiClient): Promise<{ paths: string[]; unknown: string[] }> {
  const paths: string[] = [];
  const unknown: string[] = [];
  for (const r of routes.filter((x) => x.method === 'get' && reaches(x.access, role))) {
    if (r.path.includes(':')) {
      const expand = expanders[r.path];
      if (expand) paths.push(...(await expand(client)));
      else unknown.push(r.path);
    } else {
      paths.push(...(variants[r.path] ? await variants[r.path]!(client) : [r.path]));
    }
  }
  return { paths: [...new Set(paths)], unknown };
}

/** What one response shows as text, by its type: JSON, .xlsx cells, .docx paragraphs, PDF text, or plain text. */
async function read(client: ApiClient, path: string): Promise<{ status: number; scanned: Omit<Scanned, 'role'>[] }> {
  const res = await fetch(`${system.baseUrl}${path}`, { headers: { cookie: client.cookieHeader() } });
  const type = res.headers.get('content-type') ?? '';
  const body = Buffer.from(await res.arrayBuffer());
  if (type.includes('json')) return { status: res.status, scanned: [{ what: path, json: JSON.parse(body.toString('utf8') || 'null') }] };
  if (type.includes('spreadsheetml')) {
    // A number in a cell is a count of cases when its column says so; the ledgers' columns count loop records (次数, 条数).
    const cells = await xlsxCells(body);
    return {
      status: res.status,
      scanned: cells.map((c) => ({
        what: `${path} ${c.sheet}!${c.address}（${c.header}）`,
        text: typeof c.value === 'number' ? (/案件数|收案|结案|人数|件数/.test(c.header) ? `案件数${c.value}` : '') : c.value,
      })),
    };
  }
  if (type.includes('wordprocessingml')) return { status: res.status, scanned: [{ what: path, text: await docxParagraphs(body) }] };
  if (type.includes('pdf')) return { status: res.status, scanned: [{ what: path, text: await pdfText(body) }] };
  return { status: res.status, scanned: [{ what: path, text: body.toString('utf8') }] };
}

function leaksIn(s: Scanned): string[] {
  const found = s.json !== undefined ? smallCountsInJson(s.json) : smallCountsIn(s.text ?? '');
  return found.map((f) => `${s.role} ${s.what}: ${f}`);
}

/** The cockpit's values: a count indicator's value under 5 (0 included) is never shown outside the court. */
function cockpitValueLeaks(role: string, path: string, body: { indicators: { id: string; unit: string }[]; cells: { indicatorId: string; region: string; value: number | null }[]; history: { indicatorId: string; points: { value: number | null }[] }[] }): string[] {
  const counts = new Set(body.indicators.filter((i) => i.unit === 'count').map((i) => i.id));
  const cells = body.cells.filter((c) => counts.has(c.indicatorId) && c.value !== null && c.value < 5).map((c) => `${role} ${path}: ${c.indicatorId}@${c.region} = ${c.value}`);
  const history = body.history.flatMap((h) => (counts.has(h.indicatorId) ? h.points.filter((p) => p.value !== null && p.value < 5).map((p) => `${role} ${path}: history ${h.indicatorId} = ${p.value}`) : []));
  return [...cells, ...history];
}

describe('small-cell scan: no count under 5 reaches anyone outside the court', () => {
  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false });
    const { services } = system;
    await computedRound(services, roundId);
    const [{ indicator_run_id: runId }] = await system.db.query<{ indicator_run_id: string }[]>(`SELECT indicator_run_id FROM assessment_round WHERE id = $1`, [roundId]);
    const now = new Date().toISOString();
    await services.rounds.draftReport({ roundId, indicatorRunId: runId, revision: 1, now }, `scan-report-${roundId}`);
    const { recipients } = await services.indicators.summary(runId);
    // Two townships (their notices quote their own, smaller, figures) and two county units. A
    // township's notice quotes its own reason for every indicator it names: the first names one
    // more, capped for having fewer cases than its minimum ("但案件数2件少于3件"), so that the
    // notice has a small count to hide.
    const towns = recipients.filter((r) => r.departmentId.startsWith('town-'));
    const capped = await system.db.query<{ region: string; indicator_id: string }[]>(
      `SELECT region, indicator_id FROM indicator_value WHERE run_id = $1 AND region = ANY($2) AND reason ~ '案件数[0-4]件' ORDER BY region, indicator_id`,
      [runId, towns.map((t) => t.departmentId)],
    );
    expect(capped.length, 'a notified township with a cell whose stored reason names a count under 5').toBeGreaterThan(0);
    smallCell = { region: capped[0]!.region, indicatorId: capped[0]!.indicator_id };
    const first = towns.find((t) => t.departmentId === smallCell.region)!;
    const chosen = [
      { departmentId: first.departmentId, indicatorIds: [...new Set([...first.indicatorIds, smallCell.indicatorId])] },
      ...towns.filter((t) => t !== first).slice(0, 1),
      ...recipients.filter((r) => !r.departmentId.startsWith('town-')).slice(0, 2),
    ];
    noticeUnits = chosen.map((r) => r.departmentId);
    const due = new Date(Date.now() + 20 * 86_400_000).toISOString();
    for (const [i, r] of chosen.entries()) {
      const noticeKey = `${roundId}:${r.departmentId}`;
      const issued = await services.noticeFlow.issue({ now, roundId, departmentId: r.departmentId, indicatorIds: r.indicatorIds, noticeKey, opinionDueDate: due }, String(9_000_000 + i), `scan-issue-${noticeKey}`);
      await services.noticeFlow.deliver(
        { settings: defaultLoopSettings, roundId, departmentId: r.departmentId, indicatorIds: r.indicatorIds, noticeKey, noticeId: issued.noticeId, noticeIssuedOn: issued.noticeIssuedOn, opinionDueDate: due },
        `scan-deliver-${noticeKey}`,
      );
    }
    courtClient = (await signedInUser(system, ['court_analyst'], 'court')).client;
  }, 600_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('the court reads the exact figures: its cockpit reasons and its what-if name counts under 5 (the scan below can fail)', async () => {
    const cockpit = await courtClient.request('GET', `/api/cockpit?roundId=${roundId}`);
    expect(cockpit.status).toBe(200);
    const exact = cockpit.body.cells.flatMap((c: { reason: string }) => smallCountsIn(c.reason));
    expect(exact.length, 'small counts in the court’s reasons').toBeGreaterThan(0);
    // The reason the first notice quotes, as the court reads it.
    const quoted = cockpit.body.cells.find((c: { indicatorId: string; region: string }) => c.indicatorId === smallCell.indicatorId && c.region === smallCell.region);
    expect(smallCountsIn(quoted.reason), quoted.reason).not.toEqual([]);
    expect(cockpitValueLeaks('court', 'cockpit', cockpit.body).length, 'small values in the court’s cockpit').toBeGreaterThan(0);
    const whatIf = await courtClient.request('POST', `/api/rounds/${roundId}/what-if`, WHAT_IF);
    expect(whatIf.status, JSON.stringify(whatIf.body)).toBe(200);
    expect(smallCountsInJson(whatIf.body).length, 'small counts in the court’s what-if').toBeGreaterThan(0);
  });

  const readers: { role: Role; department: () => string | null }[] = [
    { role: 'leader', department: () => 'zfw' },
    { role: 'peace_office', department: () => 'pab' },
    { role: 'department', department: () => smallCell.region },
    { role: 'department', department: () => noticeUnits.at(-1)! },
    { role: 'auditor', department: () => null },
    { role: 'admin', department: () => null },
  ];

  it.each(readers.map((r, i) => [`${r.role}${r.role === 'department' ? ` #${i}` : ''}`, r] as const))(
    'when %s reads every route it reaches and downloads every file, then no count under 5 is shown',
    async (label, reader) => {
      const { client } = await signedInUser(system, [reader.role], reader.department());
      const { paths, unknown } = await pathsFor(reader.role, client);
      expect(unknown, 'GET routes with parameters this scan cannot fill: add an expander').toEqual([]);
      const leaks: string[] = [];
      const failures: string[] = [];
      let exports = 0;
      let documents = 0;
      const noticeFiles = new Set<string>();
      for (const path of paths) {
        const { status, scanned } = await read(client, path);
        if (status >= 500 || (status >= 400 && status !== 404)) failures.push(`${path}: ${status}`);
        if (/\/ledgers\/[a-z]+\/export$/.test(path) && status === 200) exports += 1;
        if (/\/api\/documents\/[^/]+\/file\//.test(path) && status === 200) {
          documents += 1;
          // The file was read as text, not skipped: a notice's .docx and PDF both carry its title.
          if (scanned.some((x) => x.text?.replace(/\s+/g, '').includes('风险提示函'))) noticeFiles.add(path.endsWith('pdf') ? 'pdf' : 'docx');
        }
        for (const s of scanned) {
          leaks.push(...leaksIn({ role: label, ...s }));
          if (path.startsWith('/api/cockpit') && s.json && status === 200) leaks.push(...cockpitValueLeaks(label, path, s.json as never));
        }
      }
      if (reader.role !== 'department' && reader.role !== 'auditor') {
        const whatIf = await client.request('POST', `/api/rounds/${roundId}/what-if`, WHAT_IF);
        expect(whatIf.status, JSON.stringify(whatIf.body)).toBe(200);
        expect(whatIf.body.changedLevels.length).toBeGreaterThan(0);
        leaks.push(...leaksIn({ role: label, what: 'POST what-if', json: whatIf.body }));
      }
      expect(failures).toEqual([]);
      // Every ledger's export; the notified unit its notice, the county's roles the report and every notice (.docx and PDF each).
      expect(exports).toBe(ledgerKinds.length);
      expect(documents).toBeGreaterThanOrEqual(reader.role === 'department' ? 2 : 2 * (1 + noticeUnits.length));
      expect([...noticeFiles].sort()).toEqual(['docx', 'pdf']);
      // By response, its first three: every leaking response shows in the failure, however many cells leak.
      const byResponse = new Map<string, string[]>();
      for (const l of leaks) {
        const key = l.split(': ')[0]!;
        byResponse.set(key, [...(byResponse.get(key) ?? []), l.slice(key.length + 2)]);
      }
      expect(Object.fromEntries([...byResponse].map(([k, v]) => [`${k} (${v.length})`, v.slice(0, 3)]))).toEqual({});
    },
    300_000,
  );
});
