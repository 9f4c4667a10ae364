import { readdir, readFile } from 'node:fs/promises';
import { BpmnModdle } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { workerDefinitions } from '../../workers/registry.ts';

interface El {
  $type: string;
  flowElements?: El[];
  rootElements?: El[];
  extensionElements?: { values?: { $type: string; type?: string }[] };
}

/** Every zeebe:taskDefinition type used by the diagrams in bpmn/. */
async function taskTypesInDiagrams(): Promise<Set<string>> {
  const moddle = new BpmnModdle({ zeebe: zeebeSchema });
  const types = new Set<string>();
  const visit = (el: El) => {
    for (const v of el.extensionElements?.values ?? []) if (v.$type === 'zeebe:TaskDefinition' && v.type) types.add(v.type);
    for (const child of [...(el.flowElements ?? []), ...(el.rootElements ?? [])]) visit(child);
  };
  for (const file of (await readdir('bpmn')).filter((f) => f.endsWith('.bpmn'))) {
    const { rootElement } = await moddle.fromXML(await readFile(`bpmn/${file}`, 'utf8'));
    visit(rootElement as El);
  }
  return types;
}

describe('worker registry against the diagrams', () => {
  it('when a diagram uses a task type, then a worker module serves it, and every worker serves a type some diagram uses', async () => {
    const used = await taskTypesInDiagrams();
    const served = new Set(workerDefinitions.map((w) => w.type));
    expect([...used].filter((t) => !served.has(t)).sort()).toEqual([]);
    expect([...served].filter((t) => !used.has(t)).sort()).toEqual([]);
  });

  it('when workers are registered, then each type is served once and each module file is named after its type', async () => {
    const types = workerDefinitions.map((w) => w.type);
    expect(new Set(types).size).toBe(types.length);
    const files = (await readdir('workers')).filter((f) => f.endsWith('.ts') && f !== 'registry.ts').map((f) => f.replace(/\.ts$/, ''));
    expect(files.sort()).toEqual([...types].sort());
  });
});
