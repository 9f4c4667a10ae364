import { readdirSync, readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';
import camundaSchema from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import { beforeAll, describe, expect, it } from 'vitest';
import {
  errorCodes,
  escalationCodes,
  FORM_IDS,
  formContracts,
  FORM_TEXT_LIMIT,
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
import { workerDefinitions } from '../../workers/registry.ts';

/**
 * The diagrams in bpmn/ against src/engine/contract.ts, both ways: every external-task topic,
 * message, form, error and escalation a diagram uses is declared, every declared one is used,
 * every topic has a worker in workers/registry.ts (no process may wait for a worker that does
 * not exist), and the human steps follow the rules (candidate group, due date from a variable,
 * priority, a linked form that exists). The diagrams are Camunda 7 diagrams for Operaton:
 * `camunda:` extensions and JUEL expressions, never zeebe: or FEEL. Timers hold expressions,
 * never literal durations.
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
  /** camunda: attributes, as camunda-bpmn-moddle exposes them (without the prefix). */
  type?: string;
  topic?: string;
  historyTimeToLive?: string;
  formRef?: string;
  formRefBinding?: string;
  formKey?: string;
  candidateGroups?: string;
  candidateUsers?: string;
  assignee?: string;
  dueDate?: string;
  priority?: string;
  calledElement?: string;
  calledElementBinding?: string;
  collection?: string;
  elementVariable?: string;
  isSequential?: boolean;
  asyncBefore?: boolean;
  asyncAfter?: boolean;
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
  sourceRef?: El;
  attachedToRef?: El;
  default?: El;
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
  validate?: { required?: boolean; maxLength?: number };
  conditional?: { hide?: string };
  components?: FormComponent[];
  valuesKey?: string;
  /** A table's rows: `=variable.path`. */
  dataSource?: string;
  /** Markdown with `{{variable.path}}` templating, or `=` and a FEEL expression. */
  text?: string;
  /** A radio's or select's fixed options. */
  values?: { label: string; value: string }[];
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

interface Parameter {
  name: string;
  value?: string;
  definition?: unknown;
}

interface InputOutput extends Ext {
  inputParameters?: Parameter[];
  outputParameters?: Parameter[];
}

interface InOut extends Ext {
  source?: string;
  sourceExpression?: string;
  target?: string;
  businessKey?: string;
  variables?: string;
  local?: boolean;
}

beforeAll(async () => {
  const moddle = new BpmnModdle({ camunda: camundaSchema });
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
/** The variable of a JUEL expression that is just one variable, `${name}`. */
/**
 * The variable an expression is: `${name}`, or `${execution.getVariableLocal('name')}`, which a task
 * that can be cancelled with its submission missing uses (a terminated scope still runs its output mappings).
 */
const variableOf = (expr: string | undefined) =>
  /^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}$/.exec(expr ?? '')?.[1] ?? /^\$\{execution\.getVariableLocal\('([A-Za-z_][A-Za-z0-9_]*)'\)\}$/.exec(expr ?? '')?.[1];
/** The first variable a JUEL expression reads, `${name…}`. */
const rootVariableOf = (expr: string | undefined) => /^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(expr ?? '')?.[1];
const io = (e: El) => ext<InputOutput>(e, 'camunda:InputOutput');
const topicOf = (e: El) => (e.type === 'external' ? e.topic : undefined);

/** Variables a diagram's tasks and forms produce: task outputs (or their output parameters), user task form outputs (or theirs), start variables. */
function producedVariables(d: Diagram): Set<string> {
  const vars = new Set<string>();
  for (const e of d.elements) {
    const mapped = io(e)?.outputParameters ?? [];
    for (const o of mapped) vars.add(o.name);
    const topic = e.$type === 'bpmn:ServiceTask' ? topicOf(e) : undefined;
    if (topic && mapped.length === 0) for (const k of Object.keys(taskContracts[topic as TaskType].output.shape)) vars.add(k);
    if (e.$type === 'bpmn:UserTask' && e.formRef && mapped.length === 0) for (const k of Object.keys(formContracts[e.formRef as FormId].output.shape)) vars.add(k);
  }
  const start = startContracts[d.process.id as ProcessId];
  for (const k of Object.keys(start.variables.shape)) vars.add(k);
  // What a message brings into a running instance (an extension request's reason and date).
  for (const m of (d.definitions.rootElements ?? []).filter((r) => r.$type === 'bpmn:Message') as (El & { name: MessageName })[]) {
    for (const k of Object.keys(messageContracts[m.name].variables.shape)) vars.add(k);
  }
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

  it('when a diagram targets an engine, then it is a Camunda 7.23 diagram (camunda: namespace only, no FEEL) whose process keeps its history ten years', () => {
    for (const d of diagrams) {
      const xml = readFileSync(`${dir}/${d.file}`, 'utf8');
      expect(xml, d.file).toContain('xmlns:camunda="http://camunda.org/schema/1.0/bpmn"');
      expect(xml, d.file).toContain('modeler:executionPlatform="Camunda Platform"');
      expect(xml, d.file).toContain('modeler:executionPlatformVersion="7.23.0"');
      expect(xml, d.file).not.toMatch(/zeebe|xmlns:operaton|operaton:/);
      // A FEEL expression starts with '=': none may be left in an attribute or an element body.
      expect(xml.match(/="=|>=[^=<]/g) ?? [], d.file).toEqual([]);
      expect(d.process.historyTimeToLive, d.file).toBe('3650');
    }
  });

  it('when a service task runs, then it is an external task whose topic is in the contract, and every contract topic is used by some diagram', () => {
    const used = new Set<string>();
    for (const { d, e } of of('bpmn:ServiceTask')) {
      const where = `${d.file}#${e.id}`;
      expect(e.type, where).toBe('external');
      expect(TASK_TYPES, where).toContain(e.topic);
      expect(e.topic).toMatch(/^[a-z]+(-[a-z]+)*$/);
      used.add(e.topic!);
    }
    expect(TASK_TYPES.filter((t) => !used.has(t))).toEqual([]);
  });

  it('when a diagram uses a topic, then a worker in workers/registry.ts serves it (no process is deployed to wait for a missing worker)', () => {
    const served = new Set(workerDefinitions.map((w) => w.type));
    const missing = of('bpmn:ServiceTask')
      .filter(({ e }) => !served.has(e.topic ?? ''))
      .map(({ d, e }) => `${d.file}#${e.id}: ${e.topic}`);
    expect(missing).toEqual([]);
    expect(TASK_TYPES.filter((t) => !served.has(t))).toEqual([]);
  });

  it('when a service task maps inputs or outputs, then the names are the ones its contract declares, and `now` is the engine clock', () => {
    for (const { d, e } of of('bpmn:ServiceTask')) {
      const where = `${d.file}#${e.id}`;
      const topic = topicOf(e) as TaskType;
      const inputs = Object.keys(taskContracts[topic].input.shape);
      const outputs = Object.keys(taskContracts[topic].output.shape);
      for (const i of io(e)?.inputParameters ?? []) {
        expect(inputs, `${where} input ${i.name}`).toContain(i.name);
        expect(i.definition, `${where} input ${i.name} is a text or a JUEL expression`).toBeUndefined();
      }
      for (const o of io(e)?.outputParameters ?? []) {
        expect(outputs, `${where} output ${o.name} = ${o.value}`).toContain(variableOf(o.value));
      }
      if (inputs.includes('now')) {
        expect(io(e)?.inputParameters?.find((i) => i.name === 'now')?.value, `${where} maps now from the engine clock`).toBe('${now()}');
      }
    }
  });

  it('when a human step exists, then it has candidate groups, a due date from a variable, a priority and a linked form that exists, and its output parameters read that form', () => {
    const roles = new Set<string>(Object.values(ROLE_GROUPS));
    const formIdsInFiles = new Map(forms.map((f) => [f.json.id, f.file]));
    for (const { d, e } of of('bpmn:UserTask')) {
      const where = `${d.file}#${e.id}`;
      const groups = e.candidateGroups ?? '';
      expect(groups, where).not.toBe('');
      if (groups.startsWith('$')) expect(groups, where).toMatch(/^\$\{[A-Za-z]+\}$/);
      else for (const g of groups.split(',')) expect(roles, `${where} group "${g}"`).toContain(g);
      expect(e.candidateUsers, where).toBeUndefined();
      expect(e.assignee, where).toBeUndefined();
      const due = e.dueDate ?? '';
      expect(variableOf(due), `${where} dueDate ${due}`).toBeTruthy();
      expect(producedVariables(d), `${where} dueDate ${due} is produced in the diagram`).toContain(variableOf(due));
      const priority = e.priority;
      expect(priority, where).toBeTruthy();
      if (priority!.startsWith('$')) expect(priority, where).toMatch(/^\$\{\s*[A-Za-z]+\s*\?\s*\d+\s*:\s*\d+\s*\}$/);
      else expect(Number(priority), where).toBeGreaterThanOrEqual(0);
      expect(FORM_IDS, where).toContain(e.formRef);
      expect(e.formRefBinding, where).toBe('latest');
      expect(e.formKey, `${where}: the form is linked by camunda:formRef, which Tasklist renders`).toBeUndefined();
      expect(formIdsInFiles.get(e.formRef!), `${where}: bpmn/${e.formRef}.form`).toBe(`${e.formRef}.form`);
      const submitted = Object.keys(formContracts[e.formRef as FormId].output.shape);
      for (const o of io(e)?.outputParameters ?? []) expect(submitted, `${where} output ${o.name} = ${o.value}`).toContain(variableOf(o.value));
      expect(io(e)?.inputParameters ?? [], where).toEqual([]);
      expect(e.name?.trim(), where).toBeTruthy();
    }
  });

  it('when forms are shipped, then every form is used by a user task and every contract form has a file', () => {
    const used = new Set(of('bpmn:UserTask').map(({ e }) => e.formRef));
    expect(forms.map((f) => f.json.id).sort()).toEqual([...FORM_IDS].sort());
    expect(FORM_IDS.filter((f) => !used.has(f))).toEqual([]);
  });

  it('when a timer is defined, then it is a JUEL expression over a variable the diagram produces, never a literal date or duration', () => {
    const timers = diagrams.flatMap((d) =>
      d.elements.flatMap((e) => (e.eventDefinitions ?? []).filter((x) => x.$type === 'bpmn:TimerEventDefinition').map((t) => ({ d, e, t }))),
    );
    expect(timers.length).toBeGreaterThan(10);
    for (const { d, e, t } of timers) {
      const body = (t.timeDate ?? t.timeCycle ?? t.timeDuration)?.body ?? '';
      expect(body, `${d.file}#${e.id}`).toMatch(/^\$\{[^}]+\}$/);
      expect(body, `${d.file}#${e.id}`).not.toMatch(/"?P\d|R\d*\/P|\d{4}-\d{2}-\d{2}/);
      expect(producedVariables(d), `${d.file}#${e.id} ${body}`).toContain(rootVariableOf(body));
    }
  });

  it('when a multi-instance activity runs, then it iterates a produced collection variable into a named element variable', () => {
    const loops = diagrams.flatMap((d) =>
      d.elements.filter((e) => e.loopCharacteristics?.$type === 'bpmn:MultiInstanceLoopCharacteristics').map((e) => ({ d, e, l: e.loopCharacteristics! })),
    );
    expect(loops.length).toBeGreaterThan(0);
    for (const { d, e, l } of loops) {
      const where = `${d.file}#${e.id}`;
      expect(variableOf(l.collection), `${where} collection ${l.collection}`).toBeTruthy();
      expect(producedVariables(d), `${where} collection ${l.collection}`).toContain(variableOf(l.collection));
      expect(l.elementVariable, where).toMatch(/^[A-Za-z]+$/);
      // Camunda 7 forbids output parameters on multi-instance activities.
      expect(io(e)?.outputParameters ?? [], where).toEqual([]);
    }
  });

  it('when a call activity calls a process, then it passes exactly that process start variables and its business key', () => {
    for (const { d, e } of of('bpmn:CallActivity')) {
      const where = `${d.file}#${e.id}`;
      expect(processIds, where).toContain(e.calledElement);
      expect(e.calledElementBinding ?? 'latest', where).toBe('latest');
      const values = (e.extensionElements?.values ?? []) as InOut[];
      const ins = values.filter((v) => v.$type === 'camunda:In');
      expect(ins.filter((v) => v.variables === 'all'), `${where} passes only what the callee needs`).toEqual([]);
      expect(values.filter((v) => v.$type === 'camunda:Out' && v.variables === 'all'), where).toEqual([]);
      expect(ins.filter((v) => v.businessKey), `${where} sets the callee business key`).toHaveLength(1);
      const passed = ins.filter((v) => v.target).map((v) => v.target!);
      expect(passed.sort(), where).toEqual(Object.keys(startContracts[e.calledElement as ProcessId].variables.shape).sort());
    }
  });

  it('when a diagram starts, then its start events match the start contract: a message start with the contract message, or only a none start for a called process', () => {
    for (const d of diagrams) {
      const contract = startContracts[d.process.id as ProcessId];
      const starts = (d.process.flowElements ?? []).filter((e) => e.$type === 'bpmn:StartEvent');
      const messages = starts.flatMap((s) => (s.eventDefinitions ?? []).map((x) => (x.messageRef as El & { name: string } | undefined)?.name));
      if (contract.message === null) {
        expect(starts.every((s) => (s.eventDefinitions ?? []).length === 0), d.file).toBe(true);
        expect(of('bpmn:CallActivity').some(({ e }) => e.calledElement === d.process.id), `${d.file} is called by some diagram`).toBe(true);
      } else {
        expect(messages, d.file).toEqual([contract.message]);
      }
      expect(contract.correlationKey, `${d.file}: the business key of an instance`).not.toBe('');
      expect((d.process.flowElements ?? []).some((e) => e.$type === 'bpmn:StartEvent' && (e.eventDefinitions ?? []).some((x) => x.$type === 'bpmn:TimerEventDefinition')), d.file).toBe(false);
    }
  });

  it('when a message is referenced, then its name is in the contract, it carries no correlation key (messages are correlated on the business key), and every contract message is used', () => {
    const used = new Set<string>();
    for (const d of diagrams) {
      for (const m of (d.definitions.rootElements ?? []).filter((r) => r.$type === 'bpmn:Message') as (El & { name: MessageName })[]) {
        expect(messageNames, d.file).toContain(m.name);
        expect(m.extensionElements?.values ?? [], `${d.file} ${m.name}`).toEqual([]);
        used.add(m.name);
        const startMessage = startContracts[d.process.id as ProcessId].message === m.name;
        const key = messageContracts[m.name].correlationKey;
        if (startMessage) expect(key, `${d.file} ${m.name}`).toBe('');
        // A message to a running instance names the start variable that is the instance's business key.
        else expect(Object.keys(startContracts[d.process.id as ProcessId].variables.shape), `${d.file} ${m.name} on ${key}`).toContain(key);
      }
    }
    expect(messageNames.filter((m) => !used.has(m))).toEqual([]);
  });

  it('when a message arrives during a process, then its variables name what the tasks after it read', () => {
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
          .filter(({ e }) => topicOf(e) === type)
          .every(({ d, e }) =>
            d.elements.some(
              (b) =>
                b.attachedToRef?.id === e.id &&
                (b.eventDefinitions ?? []).some((x) => x.$type === 'bpmn:ErrorEventDefinition' && x.errorRef?.errorCode === code),
            ),
          );
        expect(caught, `${type} raises ${code}`).toBe(true);
      }
    }
  });

  it('when an exclusive gateway forks, then every outgoing flow but the default has a JUEL condition that does not throw on an absent variable', () => {
    for (const { d, e } of of('bpmn:ExclusiveGateway')) {
      const outgoing = d.elements.filter((f) => f.$type === 'bpmn:SequenceFlow' && f.sourceRef!.id === e.id);
      if (outgoing.length < 2) continue;
      const def = e.default?.id;
      expect(def, `${d.file}#${e.id}`).toBeDefined();
      for (const f of outgoing.filter((f) => f.id !== def)) {
        const body = f.conditionExpression?.body ?? '';
        expect(body, `${d.file}#${f.id}`).toMatch(/^\$\{[^}]+\}$/);
        // `x != null` throws when x was never set; `execution.getVariable('x') != null` does not.
        expect(body, `${d.file}#${f.id}`).not.toMatch(/[A-Za-z0-9_]\s*!=\s*null/);
      }
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

  it('when a form is shipped, then it is a Camunda Platform 7.23 form with a form-js schema version and unique component ids', () => {
    for (const f of forms) {
      expect(f.file).toBe(`${f.json.id}.form`);
      expect(f.json.executionPlatform).toBe('Camunda Platform');
      expect(f.json.executionPlatformVersion).toBe('7.23.0');
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
        // A text is refused past the limit at both doors, before the engine's varchar(4000) would refuse it.
        if (c.type === 'textarea' || c.type === 'textfield') {
          // (A field with a format of its own, like 约谈时间 HH:mm, takes no free text at all.)
          if (field.safeParse('字').success) expect(field.safeParse('字'.repeat(FORM_TEXT_LIMIT)).success, `${f.file} ${name} takes ${FORM_TEXT_LIMIT}`).toBe(true);
          expect(field.safeParse('字'.repeat(FORM_TEXT_LIMIT + 1)).success, `${f.file} ${name} refuses more`).toBe(false);
        }
      }
      const texts: FormComponent[] = [];
      const collect = (cs: FormComponent[]) => cs.forEach((c) => ((c.type === 'textarea' || c.type === 'textfield') && texts.push(c), collect(c.components ?? [])));
      collect(f.json.components);
      for (const c of texts) expect(c.validate?.maxLength, `${f.file} ${c.key} maxLength`).toBe(FORM_TEXT_LIMIT);
    }
  });

  it('when a form lists options from a variable, then a job of the process that shows it produces that variable', () => {
    const outputsOf = (d: Diagram) => producedVariables(d);
    for (const f of forms) {
      const keys: string[] = [];
      const collect = (cs: FormComponent[]) => cs.forEach((c) => (c.valuesKey && keys.push(c.valuesKey), collect(c.components ?? [])));
      collect(f.json.components);
      const showing = diagrams.filter((d) => d.elements.some((e) => e.$type === 'bpmn:UserTask' && e.formRef === f.json.id));
      for (const k of keys) for (const d of showing) expect(outputsOf(d), `${f.file} valuesKey ${k} in ${d.file}`).toContain(k);
    }
  });

  it('when a form shows a variable in its text or a table, then the start, a job or a message of the process that shows it produces that variable', () => {
    const shown = new Map<string, string[]>();
    for (const f of forms) {
      const names: string[] = [];
      const collect = (cs: FormComponent[]) =>
        cs.forEach((c) => {
          if (c.dataSource) names.push(/^=\s*([A-Za-z_]\w*)/.exec(c.dataSource)![1]!);
          if (c.text && !c.text.startsWith('=')) for (const m of c.text.matchAll(/\{\{\s*([A-Za-z_]\w*)/g)) names.push(m[1]!);
          collect(c.components ?? []);
        });
      collect(f.json.components);
      shown.set(f.json.id, names);
      const showing = diagrams.filter((d) => d.elements.some((e) => e.$type === 'bpmn:UserTask' && e.formRef === f.json.id));
      for (const k of names) for (const d of showing) expect(producedVariables(d), `${f.file} shows ${k} in ${d.file}`).toContain(k);
    }
    // The reviews and approvals show what they decide on (issue 21 point 1).
    expect(shown.get('risk-notice-review')).toContain('opinionSummary');
    expect(shown.get('assessment-court-review')).toContain('reportSummary');
    expect(shown.get('assessment-leader-approval')).toContain('reportSummary');
    expect(shown.get('supervision-extension-review')).toEqual(expect.arrayContaining(['itemNumber', 'itemTitle', 'extensionRequest']));
  });

  it('when a review sends work back, refuses or recomputes, then its form says what choosing that means', () => {
    const sendsBack = /^(return|refuse|recompute|revise|fail)$/;
    const unexplained: string[] = [];
    for (const f of forms) {
      const all: FormComponent[] = [];
      const collect = (cs: FormComponent[]) => cs.forEach((c) => (all.push(c), collect(c.components ?? [])));
      collect(f.json.components);
      for (const c of all.filter((x) => x.type === 'radio')) {
        for (const v of (c.values ?? []).filter((x) => sendsBack.test(x.value))) {
          // "选择“退回修改”：…" (a label's first words suffice: "选择“重新计算指标”" for "数据有误，重新计算指标").
          const core = v.label.split('，').at(-1)!;
          if (!all.some((t) => t.type === 'text' && t.text?.startsWith('选择“') && t.text.includes(core))) unexplained.push(`${f.file}: ${v.label}`);
        }
      }
    }
    expect(unexplained).toEqual([]);
  });
});
