import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProcessCatalog, type ProcessCatalog } from '../../src/engine/catalog.ts';
import { planDeployment } from '../../src/engine/deployment-plan.ts';
import { workerDefinitions } from '../../workers/registry.ts';

describe('worker registry against the diagrams', () => {
  it('when a worker is registered, then some diagram in bpmn/ uses its type, it is registered once, and its module is named after it', async () => {
    const catalog = await loadProcessCatalog([path.resolve('bpmn')]);
    const used = new Set(catalog.processIds().flatMap((id) => catalog.taskTypes(id)));
    const types = workerDefinitions.map((w) => w.type);
    expect(types.filter((t) => !used.has(t))).toEqual([]);
    expect(new Set(types).size).toBe(types.length);
    const files = (await readdir('workers')).filter((f) => f.endsWith('.ts') && f !== 'registry.ts').map((f) => f.replace(/\.ts$/, ''));
    expect(files.sort()).toEqual([...types].sort());
  });

  it('when the diagrams are planned for deployment, then every deployed process has a worker for each of its job types', async () => {
    const catalog = await loadProcessCatalog([path.resolve('bpmn')]);
    const served = new Set(workerDefinitions.map((w) => w.type));
    const plan = planDeployment(catalog, served);
    for (const id of plan.deploy) expect(catalog.taskTypes(id).filter((t) => !served.has(t)), id).toEqual([]);
    expect([...plan.deploy, ...plan.held.map((h) => h.processId)].sort()).toEqual(catalog.processIds().sort());
    if (plan.held.length) console.log(`held back until their workers exist: ${plan.held.map((h) => `${h.processId} (${h.missing.length} types)`).join(', ')}`);
  });
});

describe('deployment plan', () => {
  const catalog = (processes: Record<string, { types: string[]; calls?: string[] }>): ProcessCatalog => ({
    processIds: () => Object.keys(processes),
    processName: (id) => id,
    element: () => undefined,
    form: () => undefined,
    xml: () => undefined,
    taskTypes: (id) => processes[id]?.types ?? [],
    calledProcesses: (id) => processes[id]?.calls ?? [],
  });

  it('when a job type has no worker, then its process is held with the missing types, and so is every process that calls it', () => {
    const plan = planDeployment(
      catalog({ round: { types: ['compute'], calls: ['notice'] }, notice: { types: ['issue', 'remind'] }, item: { types: ['open'] } }),
      new Set(['compute', 'issue', 'open']),
    );
    expect(plan.deploy).toEqual(['item']);
    expect(plan.held).toEqual([
      { processId: 'notice', missing: ['remind'] },
      { processId: 'round', missing: ['(calls notice)'] },
    ]);
  });

  it('when every job type is served, then every process is deployed', () => {
    const plan = planDeployment(catalog({ round: { types: ['a'], calls: ['notice'] }, notice: { types: ['b'] } }), new Set(['a', 'b']));
    expect(plan).toEqual({ deploy: ['notice', 'round'], held: [] });
  });
});
