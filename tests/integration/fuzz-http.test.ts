import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineGateway } from '../../src/engine/client.ts';
import { formContracts } from '../../src/engine/contract.ts';
import type { RouteSpec } from '../../src/http/route.ts';
import { routes } from '../../src/http/routes/index.ts';
import { ALL_ROLES, systemActor, type Role } from '../../src/services/actor.ts';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import { computedRound } from '../support/case-data.ts';
import { ApiClient } from '../support/http-client.ts';
import { deployLoopDiagrams, startWorkersOf } from '../support/loop-instances.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signedInUser } from '../support/users.ts';

/**
 * Fuzzes every route of the route table that takes a JSON body (issue 8), as a caller the route
 * admits: bodies shaped by the route's own schema (valid ones, odd strings, missing keys), any
 * JSON, the schema's keys with values of any type, prototype-polluting keys, deep nesting, huge
 * strings and text that is no JSON at all. A route added with a body is fuzzed without a change
 * here. Properties: no 5xx; a refusal has the API's error shape with a Chinese message; a refused
 * request writes nothing (a failed login's audit row aside); nothing reaches Object.prototype.
 */

type Schema = z.core.$ZodType;
type Route = RouteSpec<never, never, never>;
type Caller = Role | 'anonymous';

const CHINESE = /[\u4e00-\u9fff]/;
const FUZZ_UNIT = 'fuzz-unit';
const RUNS_PER_ROUTE = 30;

const keyOf = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;
const bodyRoutes = routes.filter((r) => r.body !== undefined);

/** Who calls a route: a department user where it may, else the first role it admits (admins before the rest). */
function callerOf(spec: Route): Caller {
  if (spec.access === 'public') return 'anonymous';
  if (spec.access === 'authenticated') return 'department';
  const preferred: Role[] = ['department', 'admin', 'peace_office', 'court_analyst', 'leader', 'auditor'];
  return preferred.find((role) => (spec.access as readonly Role[]).includes(role))!;
}

const departmentOf: Record<Role, string | null> = { court_analyst: 'court', leader: 'zfw', peace_office: 'pab', department: 'rsj', admin: null, auditor: null };

const oddText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('', ' ', '\0', 'a\u0000b', '\ud800', '\u202e', '<script>alert(1)</script>', "' OR '1'='1", '../../etc/passwd', '${7*7}', '__proto__'),
  // Up to past the JSON body limit (256 KiB by default): both sides of it.
  fc.integer({ min: 1_000, max: 100_000 }).map((n) => '长'.repeat(n)),
);

type Check = { _zod: { def: { check?: string; minimum?: number; maximum?: number; pattern?: RegExp } } };
const checksOf = (schema: Schema) => ((schema._zod.def as { checks?: Check[] }).checks ?? []).map((c) => c._zod.def);

/** A string or array schema's length bounds, from its min/max checks. */
function lengthOf(schema: Schema): { min: number; max: number } {
  const checks = checksOf(schema);
  return { min: checks.find((c) => c.check === 'min_length')?.minimum ?? 0, max: checks.find((c) => c.check === 'max_length')?.maximum ?? 40 };
}

/** Strings for a string schema: mostly ones it accepts (its patterns: a username, a date, a UUID; else text of its length), some odd ones. */
function text(schema: Schema): fc.Arbitrary<string> {
  const patterns = [(schema._zod.def as { pattern?: RegExp }).pattern, ...checksOf(schema).map((c) => c.pattern)].filter((p) => p instanceof RegExp);
  const { min, max } = lengthOf(schema);
  const fitting = patterns.length ? fc.oneof(...patterns.map((p) => fc.stringMatching(p))) : fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.max(min, Math.min(max, 40)) });
  return fc.oneof({ weight: 4, arbitrary: fitting }, { weight: 1, arbitrary: oddText });
}

/** Values of a schema's shape: often valid, with odd strings and numbers and keys left out among them. */
function shaped(schema: Schema): fc.Arbitrary<unknown> {
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, Schema>;
      const model = Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, shaped(value)]));
      return fc.oneof({ weight: 3, arbitrary: fc.record(model) }, { weight: 1, arbitrary: fc.record(model, { requiredKeys: [] }) });
    }
    case 'string':
      return text(schema);
    case 'number':
      return fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1990, max: 2110 }) }, fc.integer(), fc.double());
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'array': {
      const { min } = lengthOf(schema);
      return fc.oneof({ weight: 3, arbitrary: fc.array(shaped(def.element as Schema), { minLength: min, maxLength: min + 3 }) }, fc.array(shaped(def.element as Schema), { maxLength: 5 }));
    }
    case 'record':
      return fc.dictionary(text(def.keyType as Schema), shaped(def.valueType as Schema), { maxKeys: 5 });
    case 'union':
      return fc.oneof(...(def.options as Schema[]).map(shaped));
    case 'pipe':
      return shaped(def.in as Schema);
    case 'optional':
    case 'nullable':
    case 'default':
      return fc.oneof({ weight: 3, arbitrary: shaped(def.innerType as Schema) }, fc.constantFrom(undefined, null));
    default:
      return fc.jsonValue({ maxDepth: 3 });
  }
}

/** A copy of a value with a prototype-polluting key as an own JSON key of its n-th object (the top one when it has none). */
function withKey(value: unknown, at: number, key: string, payload: unknown): unknown {
  const copy = structuredClone(value);
  const objects: object[] = [];
  const visit = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    if (!Array.isArray(v)) objects.push(v);
    Object.values(v).forEach(visit);
  };
  visit(copy);
  const target = objects.length ? objects[at % objects.length]! : {};
  Object.defineProperty(target, key, { value: payload, enumerable: true, configurable: true, writable: true });
  return objects.length ? copy : target;
}

const pollution = fc.constantFrom<[string, unknown]>(
  ['__proto__', { fuzzPolluted: true }],
  ['constructor', { prototype: { fuzzPolluted: true } }],
  ['prototype', { fuzzPolluted: true }],
);

/** Deeply nested JSON as text (JSON.stringify would refuse to build it). */
const deepJson = fc
  .tuple(fc.integer({ min: 1_000, max: 60_000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));

const asJson = (value: unknown) => JSON.stringify(value) ?? 'null';

/** Request bodies (as sent, text) for a body schema. */
function bodies(schema: Schema): fc.Arbitrary<string> {
  const shape = schema._zod.def.type === 'object' ? ((schema._zod.def as z.core.$ZodObjectDef).shape as Record<string, Schema>) : {};
  const keys = Object.keys(shape).length ? Object.keys(shape) : ['x'];
  return fc.oneof(
    { weight: 6, arbitrary: shaped(schema).map(asJson) },
    { weight: 2, arbitrary: fc.jsonValue().map(asJson) },
    { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 2 })).map(asJson) },
    { weight: 2, arbitrary: fc.tuple(shaped(schema), fc.nat(), pollution).map(([value, at, [key, payload]]) => asJson(withKey(value, at, key, payload))) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...keys), deepJson).map(([key, deep]) => `{${JSON.stringify(key)}:${deep}}`) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  );
}

/**
 * Every call of the gateway that changes the engine's state: the fuzz replaces them all with ones
 * that accept and do nothing, so a valid body neither starts, moves nor completes anything in the
 * run's engine (and the task it completes stays open for the next body). Reads stay real. A call
 * added to EngineGateway is a write to fake here unless it is named a read in EngineWrites (the
 * type check says so).
 */
type EngineWrites = Omit<EngineGateway, 'rest' | 'taskVariables' | 'close'>;
function acceptingEngine(engine: EngineGateway): void {
  const accepting: EngineWrites = {
    deployProcesses: async () => ({ processes: [], forms: [] }),
    deployXml: async () => [],
    startProcess: async () => ({ processInstanceKey: '1', processDefinitionVersion: 1 }),
    publishMessage: async () => true,
    completeUserTask: async () => undefined,
    assignUserTask: async () => undefined,
    unassignUserTask: async () => undefined,
    cancelProcessInstance: async () => undefined,
    retryExternalTask: async () => undefined,
    retryJob: async () => undefined,
    pinClock: async () => undefined,
    resetClock: async () => undefined,
    identity: {
      createGroup: async () => undefined,
      updateGroup: async () => undefined,
      createUser: async () => undefined,
      updateUser: async () => undefined,
      deleteUser: async () => undefined,
      addMember: async () => undefined,
      removeMember: async () => undefined,
      setPassword: async () => undefined,
    },
  };
  Object.assign(engine, accepting);
}

/** Path parameters tried for a route without a fixture: the first combination its params schema accepts is used. */
const paramCandidates = ['1', '00000000-0000-4000-8000-000000000000', 'B2', 'rsj', '2025-H1', 'notice', 'items', 'pdf'];

function genericParams(spec: Route): Record<string, string> | undefined {
  const names = [...spec.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const combinations = names.reduce<Record<string, string>[]>((all, name) => all.flatMap((a) => paramCandidates.map((c) => ({ ...a, [name]: c }))), [{}]);
  return combinations.find((p) => !spec.params || spec.params.safeParse(p).success);
}

describe('HTTP fuzz of every JSON body', () => {
  let system: TestSystem;
  const clients = new Map<Caller, ApiClient>();
  /** Records the handlers can reach, so valid bodies get past "not found" into the handler's own checks. */
  const fixtures: Record<string, { params: () => Record<string, string>; schema?: Schema }> = {};
  let tables: string[] = [];
  const instances: string[] = [];

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    const db = system.services.db;
    const roundId = 'F-2025-H1';
    await computedRound(system.services, roundId);

    // An open task of 人社局 with a form: 分析研判并提交工作意见 of a real risk-notice instance, driven
    // to it by its own workers (the round's call activity starts one per unit the same way).
    await deployLoopDiagrams(system, ['risk-notice']);
    const workers = startWorkersOf(system, ['load-loop-settings', 'compute-deadline', 'issue-risk-notice']);
    const noticeKey = `${roundId}:rsj`;
    const { processInstanceKey } = await system.engine.startProcess('risk-notice', { roundId, roundKind: 'half_year', departmentId: 'rsj', indicatorIds: ['B2'], noticeKey }, noticeKey);
    instances.push(processInstanceKey);
    const taskKey = await waitForOpenTask(db, processInstanceKey, 'submitOpinion', 60_000);
    await workers.stop();
    acceptingEngine(system.engine);
    const form = system.services.catalog.element('risk-notice', 'submitOpinion')!.formId as keyof typeof formContracts;
    // An item it leads in handling, a unit of its own and the round with computed indicators.
    const item = await system.services.supervision.register(systemActor, {
      businessKey: 'fuzz:item',
      title: '模糊测试督办事项',
      sourceKind: 'meeting',
      sourceId: 'fuzz-meeting',
      leadDepartmentId: 'rsj',
      coDepartmentIds: [],
      requirements: '按期办结',
      deadline: '2099-06-30T09:30:00Z',
    });
    await db.query(`UPDATE supervision_item SET status = 'issued' WHERE id = $1`, [item.id]);
    // One unit of its own, inactive, so edits by valid bodies reach no real unit's mail.
    await db.query(`INSERT INTO department (id, name, kind, email, sort_order, active) VALUES ($1, '模糊测试单位', 'department', 'fuzz@tanghe.gov.example', 999, false)`, [FUZZ_UNIT]);

    fixtures['POST /api/tasks/:key/complete'] = {
      params: () => ({ key: taskKey }),
      // The handler checks the variables against the task's form: bodies shaped like that form reach past it.
      schema: z.object({ variables: formContracts[form].output }),
    };
    fixtures['POST /api/tasks/:key/comments'] = { params: () => ({ key: taskKey }) };
    fixtures['POST /api/items/:id/progress'] = { params: () => ({ id: item.id }) };
    fixtures['POST /api/items/:id/extension'] = { params: () => ({ id: item.id }) };
    fixtures['PATCH /api/admin/departments/:id'] = { params: () => ({ id: FUZZ_UNIT }) };
    fixtures['POST /api/rounds/:id/what-if'] = { params: () => ({ id: roundId }) };

    const anonymous = new ApiClient(system.baseUrl);
    await anonymous.refreshCsrf();
    clients.set('anonymous', anonymous);
    for (const role of ALL_ROLES) {
      const { client } = await signedInUser(system, [role], departmentOf[role]);
      clients.set(role, client);
    }
    // Sessions change on every request (rolling expiry): everything else is watched.
    tables = (await db.query<{ tablename: string }[]>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'session' ORDER BY 1`)).map((t) => t.tablename);
  });

  afterAll(async () => {
    // Later test files of this run see neither a unit a valid body activated nor the open task (the
    // gateway's cancel is faked: through the REST layer).
    await system?.services.db.query(`UPDATE department SET active = false WHERE id = $1`, [FUZZ_UNIT]);
    for (const key of instances) await system?.engine.rest.call('DELETE', `/process-instance/${key}?skipCustomListeners=true`).catch(() => undefined);
    await system?.stop();
  });

  /** The next transaction id: rows whose xmin is at least this were inserted or updated afterwards. */
  const mark = async () => Number((await system.services.db.query<{ xid: string }[]>(`SELECT (pg_snapshot_xmax(pg_current_snapshot())::text::bigint % 4294967296) AS xid`))[0]!.xid);

  /** Rows per table and rows written since a mark; a failed login's audit row is left out (it is recorded by design). */
  const tally = async (since: number) => {
    const rows = await system.services.db.query<{ t: string; n: number; fresh: number }[]>(
      tables
        .map((t) => {
          const where = t === 'audit_log' ? `WHERE action <> 'auth.login.failed'` : '';
          return `SELECT '${t}' AS t, count(*)::int AS n, (count(*) FILTER (WHERE xmin::text::bigint >= $1))::int AS fresh FROM "${t}" ${where}`;
        })
        .join(' UNION ALL '),
      [since],
    );
    return new Map(rows.map((r) => [r.t, r]));
  };

  /** The row counts as they stand, while no request has been accepted since they were taken. */
  let known: Awaited<ReturnType<typeof tally>> | undefined;

  const targetOf = (spec: Route) => {
    const fixture = fixtures[keyOf(spec)];
    const params = fixture ? fixture.params() : genericParams(spec);
    return { params, schema: fixture?.schema ?? (spec.body as Schema), caller: callerOf(spec) };
  };

  it('when a route in the table takes a JSON body, then the fuzz reaches it with parameters it accepts', () => {
    expect(bodyRoutes.length).toBeGreaterThan(0);
    for (const spec of bodyRoutes) {
      const { params } = targetOf(spec);
      expect(params, `${keyOf(spec)}: no path parameters its schema accepts; add a fixture`).toBeDefined();
      expect(spec.params?.safeParse(params).success ?? true, keyOf(spec)).toBe(true);
      expect(spec.query?.safeParse({}).success ?? true, `${keyOf(spec)}: needs a query; add it to the fixture`).toBe(true);
    }
  });

  for (const spec of bodyRoutes) {
    it(`when ${keyOf(spec)} gets fuzzed bodies, then it never fails with 5xx, refuses in Chinese and writes nothing when it refuses`, async () => {
      const { params, schema, caller } = targetOf(spec);
      const path = spec.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params![name]!));
      const client = clients.get(caller)!;
      await fc.assert(
        fc.asyncProperty(bodies(schema), async (body) => {
          const since = await mark();
          // Row counts only change by accepted requests: after a refusal the last tally still holds.
          const before = (known ??= await tally(since));
          known = undefined;
          const res = await client.request(spec.method.toUpperCase(), path, body);
          const seen = `${keyOf(spec)} as ${caller} with ${body.slice(0, 300)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
          expect(res.status, seen).toBeLessThan(500);
          expect(Object.prototype, seen).not.toHaveProperty('fuzzPolluted');
          if (res.status < 400) return;
          expect(res.body?.error, seen).toMatchObject({ status: res.status, code: expect.any(String), message: expect.stringMatching(CHINESE) });
          for (const p of res.body.error.problems ?? []) expect(p, seen).toMatchObject({ field: expect.any(String), reason: expect.stringMatching(CHINESE) });
          const after = await tally(since);
          known = after;
          const written = [...after.values()].filter((a) => a.fresh > 0 || a.n !== before.get(a.t)?.n).map((a) => `${a.t}: ${before.get(a.t)?.n} → ${a.n} rows, ${a.fresh} written`);
          expect(written, seen).toEqual([]);
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    });
  }
});
