import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.ts';
import { appRoleName } from '../../src/db/app-role.ts';
import { startLocalEngine, type LocalEngine } from '../../src/engine/local-engine.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { hashPassword } from '../../src/services/users.ts';
import { freshTestDatabase } from '../support/database.ts';
import { TEST_SERVICE_PASSWORD, testEngineCredentials } from '../support/engine.ts';
import { ApiClient } from '../support/http-client.ts';
import { testPorts, testStateDir } from '../support/ports.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

/**
 * The migrations of the previous release (git 544bf6a, migrations/index.ts there), by name. The
 * list is append-only, so the release is a prefix of today's; when a release ships, its list
 * replaces this one.
 */
const PREVIOUS_RELEASE = [
  'Foundation1764028800000',
  'SeedCountyUnits1764028800001',
  'ClosedLoop1764028800300',
  'ProcessDeployment1764028800700',
  'DocumentNumbers1764028800200',
  'CaseData1764028800400',
  'LoopCalendar1764028800800',
  'DocumentReads1764028800810',
  'Indicators1764028800500',
  'TaskCollaboration1764028800900',
  'EngineVariables1764028800910',
  'CaseMergeSpeed1764028801000',
  'EngineOnOperaton1764028801100',
  'CaseImportLine1764028801200',
  'EngineIdentity1764028801300',
];

const PASSWORD = 'upgrade-password-0123';
const ADMIN = 'a0000000-0000-4000-8000-000000000001';
const CLERK = 'a0000000-0000-4000-8000-000000000002';
const DOC = 'd0000000-0000-4000-8000-000000000001';
const RUN = 'e0000000-0000-4000-8000-000000000001';
const NOTICE = 'b0000000-0000-4000-8000-000000000001';
const OPINION = 'b0000000-0000-4000-8000-000000000002';
const MEASURE = 'b0000000-0000-4000-8000-000000000003';
const ITEM = 'c0000000-0000-4000-8000-000000000001';
const CASES = 'f0000000-0000-4000-8000-000000000001';
const POPULATION = 'f0000000-0000-4000-8000-000000000002';
const SIGNALS = 'f0000000-0000-4000-8000-000000000003';
const sha = (c: string) => c.repeat(64);

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

/**
 * A sample row (or two) for every table of the previous release, as the app would have written
 * them: a county half-year round with its notice, opinion, measure and supervision item and its
 * escalations, documents, mail, imported case data, indicators, users and their sessions. In an
 * order their foreign keys accept.
 */
const samples: Record<string, (q: Query) => Promise<unknown>> = {
  department: (q) =>
    q(`INSERT INTO department (id, name, kind, email, leader_email, sort_order) VALUES ('upgrade-unit', '唐河县升级测试局', 'department', 'upgrade@tanghe.gov.example', NULL, 99)`),
  app_user: async (q) => {
    const hash = await hashPassword(PASSWORD);
    await q(
      `INSERT INTO app_user (id, username, display_name, password_hash, department_id, roles, email, created_at) VALUES
         ($1, 'upgrade-admin', '升级管理员', $3, NULL, '{admin}', 'admin@tanghe.gov.example', '2025-01-02T08:00:00+08'),
         ($2, 'upgrade-sfj', '司法局联络员', $3, 'sfj', '{department}', 'sfj@tanghe.gov.example', '2025-01-03T08:00:00+08')`,
      [ADMIN, CLERK, hash],
    );
  },
  session: (q) =>
    q(`INSERT INTO session (sid, sess, expire) VALUES ('upgrade-session-0001', $1, '2030-01-01 00:00:00')`, [
      JSON.stringify({ cookie: { originalMaxAge: 1800000, httpOnly: true, path: '/', sameSite: 'strict' }, userId: CLERK, createdAt: 1767225600000 }),
    ]),
  audit_log: (q) =>
    q(
      `INSERT INTO audit_log (at, actor_id, actor_name, action, entity_type, entity_id, department_id, before, after, sha256)
       VALUES ('2025-01-03T08:00:00+08', $1, '升级管理员', 'user.create', 'app_user', $2, NULL, NULL, $3, NULL)`,
      [ADMIN, CLERK, JSON.stringify({ username: 'upgrade-sfj', roles: ['department'], departmentId: 'sfj' })],
    ),
  job_effect: (q) =>
    q(`INSERT INTO job_effect (job_type, business_key, job_key, result) VALUES ('risk-notice-number', 'notice:2025-H1:sfj', '2251799813685249', $1)`, [
      JSON.stringify({ number: '唐法风提〔2025〕1号' }),
    ]),
  outbox: (q) =>
    q(
      `INSERT INTO outbox (dedup_key, recipients, cc, subject, body, attachments, status, attempts, message_id, smtp_response, sent_at)
       VALUES ('notice:2025-H1:sfj', '{sfj@tanghe.gov.example}', '{sfj-leader@tanghe.gov.example}', '风险提示函 唐法风提〔2025〕1号', '请于十个工作日内反馈。',
               $1, 'sent', 1, '<notice-2025-H1-sfj@risk-loop>', '250 2.0.0 Ok', '2025-07-10T09:00:00+08')`,
      [JSON.stringify([{ documentId: DOC, format: 'pdf' }])],
    ),
  document_number_counter: (q) => q(`INSERT INTO document_number_counter (prefix, year, last_value) VALUES ('唐法风提', 2025, 1)`),
  document_number: (q) =>
    q(`INSERT INTO document_number (prefix, year, serial, number, business_key) VALUES ('唐法风提', 2025, 1, '唐法风提〔2025〕1号', 'notice:2025-H1:sfj')`),
  document: (q) =>
    q(
      `INSERT INTO document (id, kind, number, title, sha256, docx, docx_sha256, pdf, pdf_sha256, text_body, audience, recipients, cc, issued_on, created_by)
       VALUES ($1, 'risk_notice', '唐法风提〔2025〕1号', '关于行政争议风险的提示函', $2, '\\x504b030414000600', $3, '\\x255044462d312e37', $4,
               '唐河县司法局：经分析，你单位行政争议案件数量上升……', 'internal', '{sfj}', '{zfw}', '2025-07-10', 'court-analyst')`,
      [DOC, sha('a'), sha('b'), sha('c')],
    ),
  indicator_definition: (q) =>
    q(`INSERT INTO indicator_definition (id, version, definition, created_by) SELECT id, 2, definition || '{"note":"阈值调整"}', 'upgrade-admin' FROM indicator_definition WHERE version = 1 ORDER BY id LIMIT 1`),
  indicator_run: (q) =>
    q(
      `INSERT INTO indicator_run (id, round_id, fingerprint, period_start, period_end, definitions, import_files, computed_by)
       SELECT $1, '2025-H1', $2, '2025-01-01', '2025-06-30', jsonb_build_array(jsonb_build_object('id', id, 'version', 1)), ARRAY[$3], 'system'
         FROM indicator_definition WHERE version = 1 ORDER BY id LIMIT 1`,
      [RUN, sha('d'), sha('e')],
    ),
  indicator_value: (q) =>
    q(
      `INSERT INTO indicator_value (run_id, indicator_id, version, region, value, n, previous, base, comparable, rate_per_10k, max_per_key, yoy, ratio, level, reason)
       SELECT $1, id, 1, region, value, 40, 28, 30, 30, NULL, NULL, 0.4286, NULL, level, reason
         FROM indicator_definition,
              (VALUES ('county', 40.0, 'high', '同比上升 42.9%，超过高风险阈值 30%'), ('town-binhe', 6.0, 'medium', '同比上升 20.0%')) AS v(region, value, level, reason)
        WHERE version = 1 AND id = (SELECT min(id) FROM indicator_definition)`,
      [RUN],
    ),
  assessment_round: (q) =>
    q(
      `INSERT INTO assessment_round (id, kind, period_start, period_end, status, process_instance_key, report_document_id, leader_comments, approved_at, indicator_run_id)
       VALUES ('2025-H1', 'half_year', '2025-01-01', '2025-06-30', 'notices_sent', 2251799813685250, $1, '同意，按程序发函。', '2025-07-08T10:00:00+08', $2)`,
      [DOC, RUN],
    ),
  risk_notice: (q) =>
    q(
      `INSERT INTO risk_notice (id, round_id, department_id, number, indicator_ids, due_date, status, document_id, answered_at, accepted_at, process_instance_key)
       VALUES ($1, '2025-H1', 'sfj', '唐法风提〔2025〕1号', '{A01,B03}', '2025-07-24T18:00:00+08', 'accepted', $2, '2025-07-20T09:00:00+08', '2025-07-22T09:00:00+08', 2251799813685260)`,
      [NOTICE, DOC],
    ),
  work_opinion: (q) =>
    q(
      `INSERT INTO work_opinion (id, notice_id, version, analysis, submitted_by, late, review_decision, review_reason, reviewed_by, reviewed_at)
       VALUES ($1, $2, 1, '行政争议集中于征地拆迁，拟开展专项化解。', 'upgrade-sfj', false, 'accept', NULL, 'peace-office', '2025-07-22T09:00:00+08')`,
      [OPINION, NOTICE],
    ),
  measure: (q) =>
    q(
      `INSERT INTO measure (id, opinion_id, seq, content, owner_name, responsible_department_id, deadline, indicator_ids, townships)
       VALUES ($1, $2, 1, '对滨河街道征地补偿案件逐案回访', '张科长', 'sfj', '2025-09-30', '{A01}', '{town-binhe}')`,
      [MEASURE, OPINION],
    ),
  joint_meeting: (q) =>
    q(
      `INSERT INTO joint_meeting (id, number, convened_on, agenda, minutes, status, process_instance_key)
       VALUES ('2025-H2', '唐平安会〔2025〕2号', '2025-12-18', $1, $2, 'held', 2251799813685270)`,
      [JSON.stringify([{ topic: '行政争议风险', lead: 'sfj' }]), JSON.stringify({ decisions: ['专项督办征地补偿'] })],
    ),
  supervision_item: (q) =>
    q(
      `INSERT INTO supervision_item (id, business_key, number, title, source_kind, source_id, measure_id, lead_department_id, co_department_ids, requirements,
                                     deadline, major, status, stage, returned_count, registered_at, signed_at, process_instance_key)
       VALUES ($1, $2, '唐平安督〔2025〕7号', '滨河街道征地补偿案件回访', 'notice', $3, $4, 'sfj', '{zrzy}', '9 月底前逐案回访并报结果',
               '2025-09-30T18:00:00+08', false, 'in_progress', 'yellow_card', 0, '2025-07-23T09:00:00+08', '2025-07-24T09:00:00+08', 2251799813685280)`,
      [ITEM, `measure:${MEASURE}`, NOTICE, MEASURE],
    ),
  progress_report: (q) =>
    q(`INSERT INTO progress_report (item_id, message_id, content, reported_by, reported_at) VALUES ($1, 'progress-upgrade-1', '已回访 12 户，余 5 户。', 'upgrade-sfj', '2025-08-15T10:00:00+08')`, [ITEM]),
  escalation_event: (q) =>
    q(
      `INSERT INTO escalation_event (item_id, notice_id, kind, business_key, at, detail) VALUES
         ($1, NULL, 'yellow_card', $2, '2025-10-09T09:00:00+08', '{"overdueWorkingDays":5}'),
         (NULL, $3, 'reminder', $4, '2025-07-21T09:00:00+08', '{}')`,
      [ITEM, `item:${ITEM}:yellow_card`, NOTICE, `notice:${NOTICE}:reminder`],
    ),
  interview: (q) =>
    q(
      `INSERT INTO interview (item_id, number, department_id, reason, requirements, rectification_deadline, held_at, record)
       VALUES ($1, '唐平安约〔2025〕1号', 'sfj', '红牌后仍未办结', '十个工作日内整改', '2025-11-14T18:00:00+08', '2025-10-31T15:00:00+08', '{"attendees":["司法局局长"]}')`,
      [ITEM],
    ),
  listing: (q) =>
    q(
      `INSERT INTO listing (item_id, number, department_id, problem, five_implementations, deadline, monthly_reports)
       VALUES ($1, '唐平安挂〔2025〕1号', 'sfj', '征地补偿矛盾久拖未决', '{"leader":"分管副县长"}', '2026-01-31T18:00:00+08', '[{"month":"2025-12","text":"已化解 3 件"}]')`,
      [ITEM],
    ),
  bulletin: (q) =>
    q(`INSERT INTO bulletin (id, number, content, document_id, compiled_at, sent_at) VALUES ('2025-11', '唐平安通〔2025〕11号', '{"overdue":1,"yellow":1}', $1, '2025-11-05T09:00:00+08', '2025-11-05T10:00:00+08')`, [DOC]),
  effectiveness_evaluation: (q) =>
    q(`INSERT INTO effectiveness_evaluation (year, outcomes, published_at, seminar_on) VALUES (2025, '{"countyTrend":-0.08}', '2026-01-20T09:00:00+08', '2026-01-25')`),
  deduction: (q) =>
    q(`INSERT INTO deduction (year, department_id, category, points, evidence) VALUES (2025, 'sfj', 'yellow_card', 1.50, $1)`, [JSON.stringify({ itemId: ITEM })]),
  trace_link: (q) =>
    q(
      `INSERT INTO trace_link (from_kind, from_id, to_kind, to_id, at) VALUES
         ('indicator', 'A01@2025-H1', 'notice', $1, '2025-07-10T09:00:00+08'),
         ('measure', $2, 'item', $3, '2025-07-23T09:00:00+08')`,
      [NOTICE, MEASURE, ITEM],
    ),
  import_file: (q) =>
    q(
      `INSERT INTO import_file (id, kind, file_name, sha256, encoding, rows_read, rows_inserted, rows_updated, rows_unchanged, masked_cells, dropped_columns, imported_by, imported_at) VALUES
         ($1, 'case_record', '2025年上半年案件.csv', $4, 'gb18030', 3, 3, 0, 0, 2, '{当事人姓名,身份证号}', $5, '2025-07-01T09:00:00+08'),
         ($2, 'township_population', '乡镇人口2025.xlsx', $6, 'utf-8', 1, 1, 0, 0, 0, '{}', $5, '2025-07-01T09:10:00+08'),
         ($3, 'township_signal', '信访舆情2025.json', $7, 'utf-8', 1, 1, 0, 0, 0, '{}', $5, '2025-07-01T09:20:00+08')`,
      [CASES, POPULATION, SIGNALS, sha('1'), ADMIN, sha('2'), sha('3')],
    ),
  case_record: (q) =>
    q(
      `INSERT INTO case_record (case_no, court, case_type, procedure, type_code, cause, admin_sector, filing_date, closing_date, township, plaintiff_types,
                                defendant_types, defendant_agency, party_count, claim_amount, closing_method, outcome, gov_lost, appealed, defendant_key, import_file_id, import_line) VALUES
         ('（2025）豫1328行初12号', '唐河县人民法院', '行政', '一审', '行初', '行政征收', '自然资源', '2025-03-04', '2025-05-30', 'town-binhe', '{自然人}', '{行政机关}', '唐河县自然资源局', 3, 120000.00, '判决', '驳回', false, true, '唐河县自然资源局', $1, 2),
         ('（2025）豫1328民初345号', '唐河县人民法院', '民事', '一审', '民初', '劳动争议', NULL, '2025-05-20', NULL, 'town-guotan', '{自然人}', '{企业}', NULL, 2, 35600.50, NULL, NULL, NULL, NULL, 'hmac:6f1c', $1, 3),
         ('（2025）豫1328民初346号', '唐河县人民法院', '民事', '一审', '民初', '劳动争议', NULL, '2025-04-11', '2025-06-02', 'town-guotan', '{自然人}', '{企业}', NULL, 2, 8000.00, '调解', '调解', NULL, false, 'hmac:6f1c', $1, 4)`,
      [CASES],
    ),
  township_population: (q) =>
    q(`INSERT INTO township_population (township, year, resident_population, registered_migrants, import_file_id) VALUES ('town-binhe', 2025, 86500, 3120, $1)`, [POPULATION]),
  township_signal: (q) =>
    q(`INSERT INTO township_signal (township, month, petition_count, public_opinion_count, import_file_id) VALUES ('town-binhe', '2025-03-01', 12, 3, $1)`, [SIGNALS]),
  process_deployment: (q) =>
    q(
      `INSERT INTO process_deployment (bpmn_process_id, version, name, resource_name, xml, sha256, deployed_by, deployed_at)
       VALUES ('risk-notice', 2, '风险提示函', 'risk-notice.bpmn', '<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions/>', $1, $2, '2025-06-30T17:00:00+08')`,
      [sha('f'), ADMIN],
    ),
  scheduled_start: (q) =>
    q(`INSERT INTO scheduled_start (schedule_kind, business_id, outcome, at) VALUES ('round', '2025-H1', 'published', '2025-07-01T08:30:00+08'), ('bulletin', '2025-11', 'already_started', '2025-11-05T08:30:00+08')`),
  document_read: (q) => q(`INSERT INTO document_read (document_id, user_id, department_id, first_read_at) VALUES ($1, $2, 'sfj', '2025-07-10T11:00:00+08')`, [DOC, CLERK]),
  task_comment: (q) =>
    q(`INSERT INTO task_comment (task_key, author_id, author_name, department_id, body, created_at) VALUES (2251799813685301, $1, '司法局联络员', 'sfj', '已与自然资源局会商。', '2025-07-18T16:00:00+08')`, [CLERK]),
  task_attachment: (q) =>
    q(
      `INSERT INTO task_attachment (task_key, file_name, content_type, size, sha256, data, uploaded_by, uploader_name, department_id, created_at)
       VALUES (2251799813685301, '整改方案.pdf', 'application/pdf', 8, $1, '\\x255044462d312e37', $2, '司法局联络员', 'sfj', '2025-07-18T16:05:00+08')`,
      [sha('9'), CLERK],
    ),
  saved_filter: (q) => q(`INSERT INTO saved_filter (user_id, name, filter) VALUES ($1, '本单位逾期', '{"overdue":true,"department":"sfj"}')`, [CLERK]),
  engine_operation_audited: (q) => q(`INSERT INTO engine_operation_audited (operation_id, audited_at) VALUES ('2251799813685399', '2025-07-18T16:10:00+08')`),
};

type Snapshot = Record<string, Record<string, unknown>[]>;

/** The app's tables of a database (schema_migrations aside). */
async function appTables(db: DataSource): Promise<string[]> {
  const rows = await db.query<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

/** Every row of every table, as JSON, in a stable order. */
async function snapshot(db: DataSource, tables: string[]): Promise<Snapshot> {
  const all: Snapshot = {};
  for (const table of tables) {
    const rows = await db.query<{ row: Record<string, unknown> }[]>(`SELECT to_jsonb(t) AS row FROM "${table}" t`);
    all[table] = rows.map((r) => r.row).sort((a, b) => stable(a).localeCompare(stable(b)));
  }
  return all;
}

const stable = (row: Record<string, unknown>) => JSON.stringify(Object.keys(row).sort().map((k) => [k, row[k]]));

/** Rows cut to the columns the previous release had. */
const project = (rows: Record<string, unknown>[], columns: string[]) =>
  rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c]]))).sort((a, b) => stable(a).localeCompare(stable(b)));

describe('upgrade from the previous release', () => {
  let url: string;
  let engine: LocalEngine | undefined;
  let system: TestSystem | undefined;
  const stateDir = `${testStateDir}/engine-upgrade`;

  beforeAll(async () => {
    url = await freshTestDatabase('upgrade');
  });
  afterAll(async () => {
    await system?.stop();
    await engine?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('when the previous release pinned here is compared with migrations/index.ts, then it is the list\'s beginning in the same order', () => {
    const names = migrations.map((m) => new m().name);
    expect(names.slice(0, PREVIOUS_RELEASE.length)).toEqual(PREVIOUS_RELEASE);
  });

  it('when a database of the previous release with data in every table gets the current migrations and the app starts on it, then every row is still there and the app serves it', async () => {
    // The previous release: its migrations only, as its start ran them.
    const previous = new DataSource({
      type: 'postgres',
      url,
      migrations: migrations.filter((m) => PREVIOUS_RELEASE.includes(new m().name!)),
      migrationsTableName: 'schema_migrations',
      extra: { max: 1 },
    });
    await previous.initialize();
    let before: Snapshot | undefined;
    let tables: string[] = [];
    try {
      await previous.runMigrations({ transaction: 'each' });
      // TypeORM runs them in timestamp order: the same set, whatever the list's order.
      expect((await previous.query<{ name: string }[]>(`SELECT name FROM schema_migrations ORDER BY name`)).map((r) => r.name)).toEqual([...PREVIOUS_RELEASE].sort());
      tables = await appTables(previous);
      // A table of the release without a sample here fails the test: a new one cannot be forgotten.
      expect(tables.filter((t) => !(t in samples))).toEqual([]);
      expect(Object.keys(samples).filter((t) => !tables.includes(t))).toEqual([]);
      await previous.transaction(async (tx) => {
        for (const insert of Object.values(samples)) await insert((sql, params) => tx.query(sql, params));
      });
      before = await snapshot(previous, tables);
      expect(Object.entries(before).filter(([, rows]) => rows.length === 0).map(([t]) => t)).toEqual([]);
    } finally {
      await previous.destroy();
    }
    if (!before) throw new Error('no snapshot of the previous release');
    const snapshotBefore = before;
    const columns = Object.fromEntries(Object.entries(snapshotBefore).map(([t, rows]) => [t, Object.keys(rows[0]!)]));

    // The previous release's engine had made its schema in the same database.
    const db = new URL(url);
    engine = await startLocalEngine({
      cacheDir: process.env.CACHE_DIR ?? '.cache',
      stateDir,
      port: testPorts.privateEngineBase + 5,
      clockControlled: false,
      production: false,
      database: { host: db.hostname, port: Number(db.port), database: db.pathname.slice(1), user: decodeURIComponent(db.username), password: decodeURIComponent(db.password) },
      adminPassword: 'test-admin-password',
      servicePassword: TEST_SERVICE_PASSWORD,
      log: createLogger('silent'),
    });

    // The current release starts as `npm start` does: migrations, views and grants as the owner, the app as its role.
    system = await startTestSystem({
      withEngine: false,
      engineAddress: { restAddress: `http://127.0.0.1:${testPorts.privateEngineBase + 5}`, credentials: testEngineCredentials },
      databaseUrl: url,
    });
    const owner = new DataSource({ type: 'postgres', url, extra: { max: 1 } });
    await owner.initialize();
    try {
      expect((await owner.query<{ name: string }[]>(`SELECT name FROM schema_migrations ORDER BY name`)).map((r) => r.name)).toEqual(migrations.map((m) => new m().name).sort());
      const after = await snapshot(owner, tables);
      for (const table of tables) {
        expect(after[table]!.length, table).toBe(snapshotBefore[table]!.length);
        expect(project(after[table]!, columns[table]!), table).toEqual(snapshotBefore[table]);
      }
      // Sample values, read back as the app stores them.
      expect(await owner.query(`SELECT case_no, township, claim_amount, import_line FROM case_record ORDER BY case_no`)).toEqual([
        { case_no: '（2025）豫1328民初345号', township: 'town-guotan', claim_amount: '35600.50', import_line: 3 },
        { case_no: '（2025）豫1328民初346号', township: 'town-guotan', claim_amount: '8000.00', import_line: 4 },
        { case_no: '（2025）豫1328行初12号', township: 'town-binhe', claim_amount: '120000.00', import_line: 2 },
      ]);
      expect(await owner.query(`SELECT number, status, stage FROM supervision_item`)).toEqual([{ number: '唐平安督〔2025〕7号', status: 'in_progress', stage: 'yellow_card' }]);
      expect(await owner.query(`SELECT encode(pdf, 'hex') AS pdf FROM document`)).toEqual([{ pdf: '255044462d312e37' }]);
      // ImportCoverage (after 544bf6a): files imported before get the span and townships of their rows.
      expect(await owner.query(`SELECT id, first_filing_date::text AS first, last_filing_date::text AS last FROM import_file ORDER BY id`)).toEqual([
        { id: CASES, first: '2025-03-04', last: '2025-05-20' },
        { id: POPULATION, first: null, last: null },
        { id: SIGNALS, first: null, last: null },
      ]);
      expect(await owner.query(`SELECT import_file_id, township, row_count FROM import_file_township ORDER BY township`)).toEqual([
        { import_file_id: CASES, township: 'town-binhe', row_count: 1 },
        { import_file_id: CASES, township: 'town-guotan', row_count: 2 },
      ]);
      expect(await owner.query(`SELECT count(*)::int AS n FROM import_refusal`)).toEqual([{ n: 0 }]);
    } finally {
      await owner.destroy();
    }

    // The app serves the old data as its own role: a user of the previous release logs in and reads the audit log.
    expect(await system.db.query(`SELECT current_user AS name`)).toEqual([{ name: appRoleName(url) }]);
    const client = new ApiClient(system.baseUrl);
    const login = await client.login('upgrade-admin', PASSWORD);
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ id: ADMIN, username: 'upgrade-admin', displayName: '升级管理员', roles: ['admin'] });
    const audit = await client.request('GET', '/api/audit?entityType=app_user');
    expect(audit.status).toBe(200);
    expect(audit.body).toEqual([
      expect.objectContaining({ actor_id: ADMIN, actor_name: '升级管理员', action: 'user.create', entity_type: 'app_user', entity_id: CLERK, after: { username: 'upgrade-sfj', roles: ['department'], departmentId: 'sfj' } }),
    ]);
    // The login handed the password to the engine (reading the engine's identity tables as the app role) and wrote its audit row.
    expect(await system.db.query(`SELECT engine_password_of = password_hash AS handed FROM app_user WHERE id = $1`, [ADMIN])).toEqual([{ handed: true }]);
    expect(await system.db.query(`SELECT actor_id, actor_name FROM audit_log WHERE action = 'auth.login'`)).toEqual([{ actor_id: ADMIN, actor_name: 'upgrade-admin' }]);
  }, 240_000);
});
