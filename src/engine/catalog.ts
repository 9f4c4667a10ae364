import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import camundaSchema from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };

/**
 * What the app needs to know about the deployed diagrams without asking the engine: the Chinese
 * name of each element, the form linked to each user task, the input and output parameters of
 * each element, and every form's JSON (the same files the engine received, so our inbox and
 * Operaton's Tasklist show the same form). Diagrams use the Camunda 7 extensions (`camunda:`
 * namespace), which Operaton reads.
 */
export interface ElementInfo {
  processId: string;
  elementId: string;
  name: string;
  type: string;
  /** The Camunda Form linked to a user task (camunda:formRef). */
  formId?: string;
  /** The external-task topic of a service task (camunda:topic with camunda:type="external"). */
  taskType?: string;
  /** The process a call activity calls (calledElement). */
  calledProcessId?: string;
  /**
   * Names of the element's camunda:outputParameter. A task with output parameters is completed
   * with local variables, so they reach the process only through these mappings.
   */
  outputs: string[];
}

export interface ProcessCatalog {
  processIds(): string[];
  processName(processId: string): string | undefined;
  element(processId: string, elementId: string): ElementInfo | undefined;
  form(formId: string): Record<string, unknown> | undefined;
  xml(processId: string): string | undefined;
  /** External-task topics of every service task of a process, sub-processes included. */
  taskTypes(processId: string): string[];
  /** Processes its call activities call. */
  calledProcesses(processId: string): string[];
}

interface ModdleElement {
  $type: string;
  id: string;
  name?: string;
  flowElements?: ModdleElement[];
  /** camunda: attributes (camunda-bpmn-moddle maps them to properties without the prefix). */
  type?: string;
  topic?: string;
  formRef?: string;
  calledElement?: string;
  extensionElements?: { values?: { $type: string; inputParameters?: { name: string }[]; outputParameters?: { name: string }[] }[] };
}

function collect(processId: string, elements: ModdleElement[] | undefined, into: Map<string, ElementInfo>): void {
  for (const el of elements ?? []) {
    const io = el.extensionElements?.values?.find((v) => v.$type === 'camunda:InputOutput');
    into.set(`${processId}/${el.id}`, {
      processId,
      elementId: el.id,
      name: el.name ?? el.id,
      type: el.$type.replace('bpmn:', ''),
      formId: el.$type === 'bpmn:UserTask' ? el.formRef : undefined,
      taskType: el.$type === 'bpmn:ServiceTask' && el.type === 'external' ? el.topic : undefined,
      calledProcessId: el.$type === 'bpmn:CallActivity' ? el.calledElement : undefined,
      outputs: (io?.outputParameters ?? []).map((p) => p.name),
    });
    collect(processId, el.flowElements, into);
  }
}

export async function loadProcessCatalog(dirs: string[]): Promise<ProcessCatalog> {
  const moddle = new BpmnModdle({ camunda: camundaSchema });
  const elements = new Map<string, ElementInfo>();
  const names = new Map<string, string>();
  const xmls = new Map<string, string>();
  const forms = new Map<string, Record<string, unknown>>();
  for (const dir of dirs) {
    for (const file of (await readdir(dir)).sort()) {
      const full = path.join(dir, file);
      if (file.endsWith('.form')) {
        const form = JSON.parse(await readFile(full, 'utf8')) as { id: string };
        forms.set(form.id, form);
      } else if (file.endsWith('.bpmn')) {
        const xml = await readFile(full, 'utf8');
        const { rootElement } = await moddle.fromXML(xml);
        for (const root of (rootElement as unknown as { rootElements: ModdleElement[] }).rootElements) {
          if (root.$type !== 'bpmn:Process') continue;
          names.set(root.id, root.name ?? root.id);
          xmls.set(root.id, xml);
          collect(root.id, root.flowElements, elements);
        }
      }
    }
  }
  return {
    processIds: () => [...names.keys()],
    processName: (id) => names.get(id),
    element: (processId, elementId) => elements.get(`${processId}/${elementId}`),
    form: (formId) => forms.get(formId),
    xml: (id) => xmls.get(id),
    taskTypes: (id) => [...new Set([...elements.values()].filter((e) => e.processId === id && e.taskType).map((e) => e.taskType!))].sort(),
    calledProcesses: (id) =>
      [...new Set([...elements.values()].filter((e) => e.processId === id && e.calledProcessId).map((e) => e.calledProcessId!))].sort(),
  };
}
