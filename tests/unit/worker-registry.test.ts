import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProcessCatalog } from '../../src/engine/catalog.ts';
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

  it('when a diagram in bpmn/ has a service task, then a worker serves its topic (nothing is held back: a missing worker fails the build)', async () => {
    const catalog = await loadProcessCatalog([path.resolve('bpmn')]);
    const served = new Set(workerDefinitions.map((w) => w.type));
    const unserved = catalog.processIds().flatMap((id) => catalog.taskTypes(id).filter((t) => !served.has(t)).map((t) => `${id}: ${t}`));
    expect(unserved).toEqual([]);
  });
});
