import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import { Linter, type LintResults } from 'bpmnlint';
import NodeResolver from 'bpmnlint/lib/resolver/node-resolver.js';
import type { DataSource } from 'typeorm';
import camundaSchema from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import type { ProcessCatalog } from '../engine/catalog.ts';
import type { EngineGateway } from '../engine/client.ts';
import { EngineRestError } from '../engine/rest.ts';
import { TransientError, ValidationError } from '../shared/errors.ts';
import type { Actor } from './actor.ts';
import { writeAudit } from './audit.ts';
import { chineseRuleText, ENGINE_NAME } from './bpmnlint-zh.ts';
import { createProcessSource } from './process-source.ts';

/**
 * The admin modeler's back end: lint a diagram with the same bpmnlint rules as `npm run bpmn:lint`
 * (.bpmnlintrc, read as is: bpmnlint:recommended + camunda-compat's Camunda 7.23 config), diff it
 * against the deployed version, and deploy it to Operaton as a new version. Diagrams are in the
 * Camunda 7 dialect (camunda: extension attributes, read with camunda-bpmn-moddle). A diagram with
 * lint errors is refused; every deployment is audit-logged with the XML's SHA-256.
 */
export interface LintProblem {
  elementId: string | null;
  elementName: string | null;
  rule: string;
  severity: 'error' | 'warning';
  /** Chinese, shown to the admin. */
  message: string;
  /** bpmnlint's own (English) message, for the curious. */
  detail: string;
}

export interface ElementChange {
  id: string;
  name: string | null;
  type: string;
  /** For changed elements: what differs, in Chinese (名称, 配置, 连线…). */
  aspects?: string[];
}

export interface ProcessDiff {
  processId: string;
  processName: string;
  baseVersion: number | null;
  baseSource: 'file' | 'modeler' | null;
  added: ElementChange[];
  removed: ElementChange[];
  changed: ElementChange[];
}

interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  isExecutable?: boolean;
  flowElements?: ModdleElement[];
  rootElements?: ModdleElement[];
  extensionElements?: unknown;
  loopCharacteristics?: unknown;
  eventDefinitions?: unknown[];
  conditionExpression?: unknown;
  sourceRef?: ModdleElement;
  targetRef?: ModdleElement;
  attachedToRef?: ModdleElement;
  default?: ModdleElement;
  cancelActivity?: boolean;
  [key: string]: unknown;
}

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
/** The very file `npm run bpmn:lint` reads, so the modeler and the command line judge alike. */
const lintConfig = JSON.parse(readFileSync(path.join(REPO_ROOT, '.bpmnlintrc'), 'utf8')) as Record<string, unknown>;

/** bpmn-moddle with the camunda: extension (external task topics, candidate groups, forms, I/O mappings…). */
function newModdle(): BpmnModdle {
  return new BpmnModdle({ camunda: camundaSchema });
}

async function parse(xml: string): Promise<ModdleElement> {
  try {
    const { rootElement, warnings } = await newModdle().fromXML(xml);
    const fatal = warnings.find((w) => /unparsable|unresolved reference/i.test(w.message));
    if (fatal) throw new Error(fatal.message);
    return rootElement as ModdleElement;
  } catch (error) {
    throw new ValidationError([{ field: 'xml', reason: `BPMN XML 无法解析：${(error as Error).message.split('\n')[0]}` }]);
  }
}

/** Every flow element of every process, sub-processes included, keyed by id. */
function flowElements(definitions: ModdleElement): Map<string, ModdleElement> {
  const out = new Map<string, ModdleElement>();
  const walk = (elements: ModdleElement[] | undefined) => {
    for (const el of elements ?? []) {
      if (el.id) out.set(el.id, el);
      walk(el.flowElements);
    }
  };
  for (const root of definitions.rootElements ?? []) if (root.$type === 'bpmn:Process') walk(root.flowElements);
  return out;
}

function processes(definitions: ModdleElement): ModdleElement[] {
  return (definitions.rootElements ?? []).filter((r) => r.$type === 'bpmn:Process');
}

const SKIPPED = new Set(['flowElements', 'incoming', 'outgoing', 'di', 'artifacts', 'laneSets', 'lanes', 'categoryValueRef']);

/**
 * A stable JSON of what an element means to the engine, without layout and without child elements.
 * moddle keeps references (sourceRef, attachedToRef, default…) non-enumerable, so the element's
 * descriptor lists the properties; a referenced element is written as its id.
 */
function describe(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  // Empty collections count as absent: reading a moddle collection (as lint rules do) creates it.
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((v) => describe(v, depth + 1));
  const el = value as ModdleElement;
  if (depth > 0 && el.id && el.$type?.startsWith('bpmn:') && !el.$type.endsWith('Definition')) return `#${el.id}`;
  const descriptor = (el as { $descriptor?: { properties?: { name: string }[] } }).$descriptor;
  const keys = new Set([...Object.keys(el), ...(descriptor?.properties ?? []).map((p) => p.name)]);
  const out: Record<string, unknown> = { $type: el.$type };
  for (const key of [...keys].sort()) {
    if (key.startsWith('$') || SKIPPED.has(key)) continue;
    const described = describe(el[key], depth + 1);
    if (described !== undefined) out[key] = described;
  }
  return out;
}

function aspectsOf(before: ModdleElement, after: ModdleElement): string[] {
  const aspects: string[] = [];
  const same = (k: string) => JSON.stringify(describe(before[k], 1)) === JSON.stringify(describe(after[k], 1));
  if (before.$type !== after.$type) aspects.push('类型');
  if (before.name !== after.name) aspects.push('名称');
  if (!same('extensionElements')) aspects.push('引擎配置');
  if (!same('sourceRef') || !same('targetRef') || !same('attachedToRef')) aspects.push('连接');
  if (!same('conditionExpression') || !same('default')) aspects.push('条件');
  if (!same('eventDefinitions') || !same('cancelActivity')) aspects.push('事件定义');
  if (!same('loopCharacteristics')) aspects.push('多实例');
  if (aspects.length === 0) aspects.push('其他属性');
  return aspects;
}

const change = (el: ModdleElement): ElementChange => ({ id: el.id!, name: el.name ?? null, type: el.$type.replace('bpmn:', '') });

export function diffDefinitions(
  base: ModdleElement | null,
  next: ModdleElement,
  meta: { processId: string; processName: string; baseVersion: number | null; baseSource: 'file' | 'modeler' | null },
): ProcessDiff {
  const before = base ? flowElements(base) : new Map<string, ModdleElement>();
  const after = flowElements(next);
  const diff: ProcessDiff = { ...meta, added: [], removed: [], changed: [] };
  for (const [id, el] of after) {
    const old = before.get(id);
    if (!old) diff.added.push(change(el));
    else if (JSON.stringify(describe(old)) !== JSON.stringify(describe(el))) diff.changed.push({ ...change(el), aspects: aspectsOf(old, el) });
  }
  for (const [id, el] of before) if (!after.has(id)) diff.removed.push(change(el));
  return diff;
}

export function createDeploymentService(deps: { db: DataSource; engine: EngineGateway; catalog: ProcessCatalog }) {
  const { db, engine } = deps;
  const source = createProcessSource(deps);
  const resolver = new NodeResolver({ require: createRequire(path.join(REPO_ROOT, 'package.json')) });

  async function lint(definitions: ModdleElement): Promise<LintProblem[]> {
    // A fresh linter per diagram: bpmnlint rule instances keep state (no-duplicate-sequence-flows).
    const results: LintResults = await new Linter({ config: lintConfig, resolver }).lint(definitions);
    const elements = flowElements(definitions);
    const problems: LintProblem[] = [];
    for (const [rule, reports] of Object.entries(results)) {
      for (const r of reports) {
        // camunda-compat reports a missing history time to live as 'info', yet Operaton refuses such
        // a process at deployment: shown as a warning (the engine's own answer is the refusal).
        if (r.category === 'info' && !/history-time-to-live$/.test(rule)) continue;
        const element = r.id ? elements.get(r.id) : undefined;
        const where = element ? `「${element.name || element.id}」` : r.id ? `「${r.id}」` : '';
        problems.push({
          elementId: r.id ?? null,
          elementName: element?.name ?? null,
          rule,
          severity: r.category === 'warn' || r.category === 'info' ? 'warning' : 'error',
          message: `${where}${where ? '：' : ''}${chineseRuleText(rule)}`,
          detail: r.message,
        });
      }
    }
    return problems.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  }

  async function diffAgainstDeployed(definitions: ModdleElement): Promise<ProcessDiff[]> {
    const out: ProcessDiff[] = [];
    for (const proc of processes(definitions)) {
      const deployed = await source.latest(proc.id!);
      const base = deployed ? await parse(deployed.xml) : null;
      // Compare process against process: the deployed file may hold other processes too.
      const only = (d: ModdleElement): ModdleElement => ({ ...d, rootElements: processes(d).filter((p) => p.id === proc.id) });
      out.push(
        diffDefinitions(base ? only(base) : null, only(definitions), {
          processId: proc.id!,
          processName: proc.name ?? proc.id!,
          baseVersion: deployed?.version ?? null,
          baseSource: deployed?.source ?? null,
        }),
      );
    }
    return out;
  }

  function requireExecutable(definitions: ModdleElement): ModdleElement[] {
    const executable = processes(definitions).filter((p) => p.isExecutable);
    if (executable.length === 0) throw new ValidationError([{ field: 'xml', reason: '图中没有可执行的流程（请在流程属性中勾选“可执行”）' }]);
    return executable;
  }

  return {
    /** Lint problems and the diff against the deployed version; changes nothing. */
    async check(xml: string): Promise<{ problems: LintProblem[]; diffs: ProcessDiff[] }> {
      const definitions = await parse(xml);
      return { problems: await lint(definitions), diffs: await diffAgainstDeployed(definitions) };
    },

    /** Deploys the diagram as a new version; refuses a diagram with lint errors. */
    async deploy(actor: Actor, input: { name: string; xml: string }) {
      const definitions = await parse(input.xml);
      const executable = requireExecutable(definitions);
      const problems = await lint(definitions);
      const errors = problems.filter((p) => p.severity === 'error');
      if (errors.length > 0) throw new ValidationError(errors.map((p) => ({ field: p.elementId ?? 'xml', reason: p.message })));
      const diffs = await diffAgainstDeployed(definitions);
      const sha256 = createHash('sha256').update(input.xml, 'utf8').digest('hex');

      let deployed: { id: string; version: number }[];
      try {
        deployed = await engine.deployXml(input.name, input.xml);
      } catch (error) {
        // Operaton answers a diagram it cannot parse or validate with 400 (ParseException…); being
        // unreachable or overloaded is a TransientError already (engine/rest.ts).
        if (error instanceof EngineRestError && error.status >= 400 && error.status < 500) {
          const reason = error.message.replace(/^\d+ \w*:\s*/, '').split('\n').slice(0, 3).join(' ');
          throw new ValidationError([{ field: 'xml', reason: `流程引擎 ${ENGINE_NAME}拒绝了该图：${reason}` }]);
        }
        if (error instanceof TransientError) throw error;
        throw new TransientError('流程引擎暂不可用，请稍后重试');
      }

      const names = new Map(executable.map((p) => [p.id!, p.name ?? p.id!]));
      await db.transaction(async (m) => {
        for (const d of deployed) {
          await m.query(
            `INSERT INTO process_deployment (bpmn_process_id, version, name, resource_name, xml, sha256, deployed_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (bpmn_process_id, version) DO UPDATE SET name = EXCLUDED.name, resource_name = EXCLUDED.resource_name,
               xml = EXCLUDED.xml, sha256 = EXCLUDED.sha256, deployed_by = EXCLUDED.deployed_by, deployed_at = now()`,
            [d.id, d.version, names.get(d.id) ?? d.id, input.name, input.xml, sha256, actor.id],
          );
        }
        await writeAudit(m, actor, {
          action: 'process.deploy',
          entityType: 'process_definition',
          entityId: deployed.map((d) => `${d.id}:${d.version}`).join(',') || null,
          before: diffs.map((d) => ({ processId: d.processId, version: d.baseVersion })),
          after: {
            resourceName: input.name,
            processes: deployed,
            added: diffs.flatMap((d) => d.added.map((e) => e.id)),
            removed: diffs.flatMap((d) => d.removed.map((e) => e.id)),
            changed: diffs.flatMap((d) => d.changed.map((e) => e.id)),
            warnings: problems.length,
          },
          sha256,
        });
      });
      return { processes: deployed, sha256, warnings: problems, diffs };
    },

    processes: () => source.list(),
    latest: (id: string) => source.latest(id),
  };
}

export type DeploymentService = ReturnType<typeof createDeploymentService>;
