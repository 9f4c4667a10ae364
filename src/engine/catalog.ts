import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };

/**
 * What the app needs to know about the deployed diagrams without asking the engine: the Chinese
 * name of each element, the form linked to each user task, and every form's JSON (the same
 * files the engine received, so our inbox and Camunda show the same form).
 */
export interface ElementInfo {
  processId: string;
  elementId: string;
  name: string;
  type: string;
  formId?: string;
  /** The job type of a service task (zeebe:taskDefinition). */
  taskType?: string;
  /** The process a call activity calls (zeebe:calledElement). */
  calledProcessId?: string;
}

export interface ProcessCatalog {
  processIds(): string[];
  processName(processId: string): string | undefined;
  element(processId: string, elementId: string): ElementInfo | undefined;
  form(formId: string): Record<string, unknown> | undefined;
  xml(processId: string): string | undefined;
  /** Job types of every service task of a process, sub-processes included. */
  taskTypes(processId: string): string[];
  /** Processes its call activities call. */
  calledProcesses(processId: string): string[];
}

interface ModdleElement {
  $type: string;
  id: string;
  name?: string;
  flowElements?: ModdleElement[];
  extensionElements?: { values?: { $type: string; formId?: string; type?: string; processId?: string }[] };
}

function collect(processId: string, elements: ModdleElement[] | undefined, into: Map<string, ElementInfo>): void {
  for (const el of elements ?? []) {
    const extension = (type: string) => el.extensionElements?.values?.find((v) => v.$type === type);
    into.set(`${processId}/${el.id}`, {
      processId,
      elementId: el.id,
      name: el.name ?? el.id,
      type: el.$type.replace('bpmn:', ''),
      formId: extension('zeebe:FormDefinition')?.formId,
      taskType: extension('zeebe:TaskDefinition')?.type,
      calledProcessId: extension('zeebe:CalledElement')?.processId,
    });
    collect(processId, el.flowElements, into);
  }
}

export async function loadProcessCatalog(dirs: string[]): Promise<ProcessCatalog> {
  const moddle = new BpmnModdle({ zeebe: zeebeSchema });
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
