import { readdirSync, readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { beforeAll, describe, expect, it } from 'vitest';
import {
  errorCodes,
  escalationCodes,
  FORM_IDS,
  formContracts,
  messageContracts,
  messageNames,
  processIds,
  ROLE_GROUPS,
  startContracts,
  TASK_TYPES,
  taskContracts,
  type FormId,
  type MessageName,
  type ProcessId,
  type TaskType,
} from '../../src/engine/contract.ts';

/**
 * The diagrams in bpmn/ against src/engine/contract.ts, both ways: every job type, message,
 * form, error and escalation a diagram uses is declared, every declared one is used, and the
 * human steps follow the rules (Camunda user task, candidate group, due date from a variable,
 * priority, a linked form that exists). Timers hold expressions, never literal durations.
 */

interface Ext {
  $type: string;
  [key: string]: unknown;
}

interface El {
  $type: string;
  id: string;
  name?: string;
  isExecutable?: boolean;
  triggeredByEvent?: boolean;
  isInterrupting?: boolean;
  flowElements?: El[];
  rootElements?: El[];
  eventDefinitions?: El[];
  extensionElements?: { values?: Ext[] };
  loopCharacteristics?: El;
  messageRef?: El;
  errorRef?: El;
  escalationRef?: El;
  errorCode?: string;
  escalationCode?: string;
  timeDate?: { body: string };
  timeCycle?: { body: string };
  timeDuration?: { body: string };
  conditionExpression?: { body: string };
}

interface Diagram {
  file: string;
  process: El;
  definitions: El;
  elements: El[];
}

interface FormComponent {
  id?: string;
  key?: string;
  path?: string;
  type: string;
  validate?: { required?: boolean };
  conditional?: { hide?: string };
  components?: FormComponent[];
  valuesKey?: string;
}

interface FormFile {
  file: string;
  json: { id: string; executionPlatform: string; executionPlatformVersion: string; schemaVersion: number; components: FormComponent[] };
}

const dir = 'bpmn';
const diagrams: Diagram[] = [];
const forms: FormFile[] = [];

function walk(el: El, into: El[]): void {
  for (const child of el.flowElements ?? []) {
    into.push(child);
    walk(child, into);
  }
}

function ext<T extends Ext>(el: El, type: string): T | undefined {
  return el.extensionElements?.values?.find((v) => v.$type === type) as T | undefined;
}

interface IoMapping extends Ext {
  inputParameters?: { source: string; target: string }[];
  outputParameters?: { source: string; target: string }[];
}

beforeAll(async () => {
  const moddle = new BpmnModdle({ zeebe: zeebeSchema });
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith('.bpmn')) {
      const { rootElement, warnings } = await moddle.fromXML(readFileSync(`${dir}/${file}`, 'utf8'));
      expect(warnings.map((w) => `${file}: ${w.message}`)).toEqual([]);
      const definitions = rootElement as El;
      const processes = (definitions.rootElements ?? []).filter((r) => r.$type === 'bpmn:Process');
      expect(processes, file).toHaveLength(1);
      const elements: El[] = [];
      walk(processes[0]!, elements);
      diagrams.push({ file, process: processes[0]!, definitions, elements });
    } else if (file.endsWith('.form')) {
      forms.push({ file, json: JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as FormFile['json'] });
    }
  }
});

const of = (type: string) => diagrams.flatMap((d) => d.elements.filter((e) => e.$type === type).map((e) => ({ d, e })));
const variableOf = (expr: string) => /^=\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(expr)?.[1];

/** Variables a diagram's jobs and forms produce: job outputs (or their output mappings), user task form outputs, message variables. */
function producedVariables(d: Diagram): Set<string> {
  const vars = new Set<string>();
  for (const e of d.elements) {
    const io = ext<IoMapping>(e, 'zeebe:IoMapping');
    const mapped = io?.outputParameters ?? [];
    for (const o of mapped) vars.add(o.target);
    const td = ext<Ext & { type: string }>(e, 'zeebe:TaskDefinition');
    if (td && mapped.length === 0) for (const k of Object.keys(taskContracts[td.type as TaskType].output.shape)) vars.add(k);
    const fd = ext<Ext & { formId: string }>(e, 'zeebe:FormDefinition');
    if (fd && mapped.length === 0) for (const k of Object.keys(formContracts[fd.formId as FormId].output.shape)) vars.add(k);
  }
  const start = startContracts[d.process.id as ProcessId];
  for (const k of Object.keys(start.variables.shape)) vars.add(k);
  return vars;
}

describe('bpmn diagrams against the engine contract', () => {
  it('when the diagrams are read, then each file holds one executable process named after the file, and they are exactly the contract processes', () => {
    for (const d of diagrams) {
      expect(d.file).toBe(`${d.process.id}.bpmn`);
      expect(d.process.isExecutable).toBe(true);
      expect(d.process.name?.trim()).toBeTruthy();
    }
    expect(diagrams.map((d) => d.process.id).sort()).toEqual([...processIds].sort());
  });

  it('when a diagram targets an engine, then it is Camunda Cloud 8.6.0', () => {
    for (const d of diagrams) {
      const xml = readFileSync(`${dir}/${d.file}`, 'utf8');
      expect(xml, d.file).toContain('modeler:executionPlatform="Camunda Cloud"');
      expect(xml, d.file).toContain('modeler:executionPlatformVersion="8.6.0"');
    }
  });

  it('when a service task runs, then its job type is in the contract with three retries, and every contract type is used by some diagram', () => {
    const used = new Set<string>();
    for (const { d, e } of of('bpmn:ServiceTask')) {
      const td = ext<Ext & { type: string; retries: string }>(e, 'zeebe:TaskDefinition');
      expect(td, `${d.file}#${e.id}`).toBeDefined();
      expect(TASK_TYPES, `${d.file}#${e.id}`).toContain(td!.type);
      expect(td!.type).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(String(td!.retries), `${d.file}#${e.id}`).toBe('3');
      used.add(td!.type);
    }
    expect(TASK_TYPES.filter((t) => !used.has(t))).toEqual([]);
  });

  it('when a service task maps inputs or outputs, then the names are the ones its contract declares', () => {
    for (const { d, e } of of('bpmn:ServiceTask')) {
      const type = ext<Ext & { type: TaskType }>(e, 'zeebe:TaskDefinition')!.type;
      const io = ext<IoMapping>(e, 'zeebe:IoMapping');
      const inputs = Object.keys(taskContracts[type].input.shape);
      const outputs = Object.keys(taskContracts[type].output.shape);
      for (const i of io?.inputParameters ?? []) expect(inputs, `${d.file}#${e.id} input ${i.target}`).toContain(i.target);
      for (const o of io?.outputParameters ?? []) expect(outputs, `${d.file}#${e.id} output ${o.source}`).toContain(variableOf(o.source));
      if (inputs.includes('now')) {
        expect(io?.inputParameters?.find((i) => i.target === 'now')?.source, `${d.file}#${e.id} maps now from the engine clock`).toBe('=now()');
      }
    }
  });

  it('when a human step exists, then it is a Camunda user task with candidate groups, a due date from a variable, a priority and a linked form that exists', () => {
    const roles = new Set<string>(Object.values(ROLE_GROUPS));
    const formIdsInFiles = new Map(forms.map((f) => [f.json.id, f.file]));
    for (const { d, e } of of('bpmn:UserTask')) {
      const where = `${d.file}#${e.id}`;
      expect(ext(e, 'zeebe:UserTask'), where).toBeDefined();
      const groups = ext<Ext & { candidateGroups?: string }>(e, 'zeebe:AssignmentDefinition')?.candidateGroups ?? '';
      expect(groups, where).not.toBe('');
      if (groups.startsWith('=')) expect(groups, where).toMatch(/^=\[[A-Za-z]+\]$/);
      else for (const g of groups.split(',').map((s) => s.trim())) expect(roles, `${where} group ${g}`).toContain(g);
      const due = ext<Ext & { dueDate?: string }>(e, 'zeebe:TaskSchedule')?.dueDate ?? '';
      expect(variableOf(due), `${where} dueDate ${due}`).toBeTruthy();
      expect(producedVariables(d), `${where} dueDate ${due} is produced in the diagram`).toContain(variableOf(due));
      const priority = ext<Ext & { priority?: string }>(e, 'zeebe:PriorityDefinition')?.priority;
      expect(priority, where).toBeTruthy();
      if (!priority!.startsWith('=')) expect(Number(priority)).toBeGreaterThanOrEqual(0);
      const formId = ext<Ext & { formId?: string }>(e, 'zeebe:FormDefinition')?.formId;
      expect(FORM_IDS, where).toContain(formId);
      expect(formIdsInFiles.get(formId!), `${where}: bpmn/${formId}.form`).toBe(`${formId}.form`);
      expect(e.name?.trim(), where).toBeTruthy();
    }
  });

  it('when forms are shipped, then every form is used by a user task and every contract form has a file', () => {
    const used = new Set(of('bpmn:UserTask').map(({ e }) => ext<Ext & { formId: string }>(e, 'zeebe:FormDefinition')!.formId));
    expect(forms.map((f) => f.json.id).sort()).toEqual([...FORM_IDS].sort());
    expect(FORM_IDS.filter((f) => !used.has(f))).toEqual([]);
  });

  it('when a timer is defined, then it is a FEEL expression over a variable the diagram produces, never a literal date or duration', () => {
    const timers = diagrams.flatMap((d) =>
      d.elements.flatMap((e) => (e.eventDefinitions ?? []).filter((x) => x.$type === 'bpmn:TimerEventDefinition').map((t) => ({ d, e, t }))),
    );
    expect(timers.length).toBeGreaterThan(10);
    for (const { d, e, t } of timers) {
      const body = (t.timeDate ?? t.timeCycle ?? t.timeDuration)?.body ?? '';
      expect(body, `${d.file}#${e.id}`).toMatch(/^=/);
      expect(body, `${d.file}#${e.id}`).not.toMatch(/"?P\d|R\d*\/P|\d{4}-\d{2}-\d{2}/);
      const root = /^=\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(body)?.[1];
      expect(producedVariables(d), `${d.file}#${e.id} ${body}`).toContain(root);
    }
  });

  it('when a diagram starts, then its start events match the start contract: a message start with the contract message, or only a none start for a called process', () => {
    for (const d of diagrams) {
      const contract = startContracts[d.process.id as ProcessId];
      const starts = (d.process.flowElements ?? []).filter((e) => e.$type === 'bpmn:StartEvent');
      const messages = starts.flatMap((s) => (s.eventDefinitions ?? []).map((x) => (x.messageRef as El & { name: string } | undefined)?.name));
      if (contract.message === null) {
        expect(starts.every((s) => (s.eventDefinitions ?? []).length === 0), d.file).toBe(true);
      } else {
        expect(messages, d.file).toEqual([contract.message]);
        expect(contract.correlationKey).not.toBe('');
      }
      expect((d.process.flowElements ?? []).some((e) => e.$type === 'bpmn:StartEvent' && (e.eventDefinitions ?? []).some((x) => x.$type === 'bpmn:TimerEventDefinition')), d.file).toBe(false);
    }
  });

  it('when a message is referenced, then its name is in the contract with the same correlation key, and every contract message is used', () => {
    const used = new Set<string>();
    for (const d of diagrams) {
      for (const m of (d.definitions.rootElements ?? []).filter((r) => r.$type === 'bpmn:Message') as (El & { name: MessageName })[]) {
        expect(messageNames, d.file).toContain(m.name);
        const key = ext<Ext & { correlationKey: string }>(m, 'zeebe:Subscription')?.correlationKey ?? '';
        expect(key, `${d.file} ${m.name}`).toBe(messageContracts[m.name].correlationKey);
        used.add(m.name);
      }
    }
    expect(messageNames.filter((m) => !used.has(m))).toEqual([]);
  });

  it('when a message arrives during a process, then its variables name what the jobs after it read', () => {
    const progress = Object.keys(taskContracts['record-progress-report'].input.shape);
    expect(progress).toEqual(expect.arrayContaining(Object.keys(messageContracts['progress-report'].variables.shape)));
    const extension = Object.keys(taskContracts['record-extension-decision'].input.shape);
    expect(extension).toEqual(expect.arrayContaining(Object.keys(messageContracts['extension-request'].variables.shape)));
  });

  it('when BPMN errors and escalations are used, then their codes are the contract codes and each is caught', () => {
    const errors = diagrams.flatMap((d) => (d.definitions.rootElements ?? []).filter((r) => r.$type === 'bpmn:Error').map((r) => r.errorCode));
    const escalations = diagrams.flatMap((d) => (d.definitions.rootElements ?? []).filter((r) => r.$type === 'bpmn:Escalation').map((r) => r.escalationCode));
    expect([...new Set(errors)].sort()).toEqual([...errorCodes].sort());
    expect([...new Set(escalations)].sort()).toEqual([...escalationCodes].sort());
    for (const { d, e } of of('bpmn:BoundaryEvent')) {
      for (const def of e.eventDefinitions ?? []) {
        if (def.$type === 'bpmn:ErrorEventDefinition') expect(errorCodes, `${d.file}#${e.id}`).toContain(def.errorRef?.errorCode);
        if (def.$type === 'bpmn:EscalationEventDefinition') expect(escalationCodes, `${d.file}#${e.id}`).toContain(def.escalationRef?.escalationCode);
      }
    }
    for (const [type, c] of Object.entries(taskContracts)) {
      for (const code of c.errorCodes ?? []) {
        const caught = of('bpmn:ServiceTask')
          .filter(({ e }) => ext<Ext & { type: string }>(e, 'zeebe:TaskDefinition')?.type === type)
          .every(({ d, e }) =>
            d.elements.some(
              (b) =>
                (b as El & { attachedToRef?: El }).attachedToRef?.id === e.id &&
                (b.eventDefinitions ?? []).some((x) => x.$type === 'bpmn:ErrorEventDefinition' && x.errorRef?.errorCode === code),
            ),
          );
        expect(caught, `${type} raises ${code}`).toBe(true);
      }
    }
  });

  it('when an exclusive gateway forks, then every outgoing flow but the default has a condition', () => {
    for (const { d, e } of of('bpmn:ExclusiveGateway')) {
      const outgoing = d.elements.filter((f) => f.$type === 'bpmn:SequenceFlow' && (f as El & { sourceRef: El }).sourceRef.id === e.id);
      if (outgoing.length < 2) continue;
      const def = (e as El & { default?: El }).default?.id;
      expect(def, `${d.file}#${e.id}`).toBeDefined();
      for (const f of outgoing.filter((f) => f.id !== def)) expect(f.conditionExpression?.body, `${d.file}#${f.id}`).toMatch(/^=/);
    }
  });

  it('when a flow element is shown to people, then its name is Chinese', () => {
    for (const { d, e } of [...of('bpmn:ServiceTask'), ...of('bpmn:UserTask'), ...of('bpmn:CallActivity'), ...of('bpmn:SubProcess')]) {
      expect(e.name ?? '', `${d.file}#${e.id}`).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('camunda forms against the form contracts', () => {
  const topLevel = (components: FormComponent[]): FormComponent[] =>
    components.flatMap((c) => (c.type === 'group' && !c.path ? topLevel(c.components ?? []) : [c])).filter((c) => c.key || c.path);

  it('when a form is shipped, then it is a Camunda Cloud 8.6 form with a form-js schema version and unique component ids', () => {
    for (const f of forms) {
      expect(f.file).toBe(`${f.json.id}.form`);
      expect(f.json.executionPlatform).toBe('Camunda Cloud');
      expect(f.json.executionPlatformVersion).toBe('8.6.0');
      expect(f.json.schemaVersion).toBeGreaterThanOrEqual(16);
      const ids: string[] = [];
      const collect = (cs: FormComponent[]) => cs.forEach((c) => (ids.push(c.id ?? ''), collect(c.components ?? [])));
      collect(f.json.components);
      expect(ids.filter((i) => !i), f.file).toEqual([]);
      expect(new Set(ids).size, f.file).toBe(ids.length);
    }
  });

  it('when a form submits, then its fields are exactly the variables its contract declares, and its required fields are required there', () => {
    for (const f of forms) {
      const schema = formContracts[f.json.id as FormId].output;
      const fields = topLevel(f.json.components);
      expect(fields.map((c) => c.key ?? c.path).sort(), f.file).toEqual(Object.keys(schema.shape).sort());
      for (const c of fields) {
        const name = (c.key ?? c.path)!;
        const field = schema.shape[name] as { safeParse(v: unknown): { success: boolean } };
        if (c.validate?.required && !c.conditional) expect(field.safeParse(undefined).success, `${f.file} ${name} is required`).toBe(false);
        if (!c.validate?.required && c.type !== 'dynamiclist' && c.type !== 'checkbox') {
          expect(field.safeParse(undefined).success, `${f.file} ${name} is optional`).toBe(true);
        }
      }
    }
  });

  it('when a form lists options from a variable, then a job of the process that shows it produces that variable', () => {
    const outputsOf = (d: Diagram) => producedVariables(d);
    for (const f of forms) {
      const keys: string[] = [];
      const collect = (cs: FormComponent[]) => cs.forEach((c) => (c.valuesKey && keys.push(c.valuesKey), collect(c.components ?? [])));
      collect(f.json.components);
      const showing = diagrams.filter((d) => d.elements.some((e) => ext<Ext & { formId: string }>(e, 'zeebe:FormDefinition')?.formId === f.json.id));
      for (const k of keys) for (const d of showing) expect(outputsOf(d), `${f.file} valuesKey ${k} in ${d.file}`).toContain(k);
    }
  });
});
