import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * QUALITY.md S5, second half: the application's engine client deploys only on the admin path
 * (src/services/deployments.ts, behind the admin-only deploy route and its checks) and at start-up
 * from bpmn/ (src/main/bootstrap.ts). The engine's REST API does not yet require authentication
 * (docs/engine.md), so the code is held to it here: any other production module that deploys
 * fails this test. (src/engine/client.ts defines the calls.)
 */
const ALLOWED = new Set(['src/services/deployments.ts', 'src/main/bootstrap.ts']);
const DEPLOYS = /\.(deployXml|deployProcesses|deployResources?|deployProcess)\s*\(/;

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name));
}

describe('engine deploy paths', () => {
  it('when production code deploys to the engine, then it is the admin deploy service or start-up', async () => {
    const files = [...(await sources('src')), ...(await sources('workers'))];
    expect(files.length).toBeGreaterThan(100);
    const deploying: string[] = [];
    for (const file of files) if (DEPLOYS.test(await readFile(file, 'utf8'))) deploying.push(file);
    expect(deploying.filter((f) => !ALLOWED.has(f))).toEqual([]);
    // The allowed places really are where deploying happens (a rename would otherwise pass silently).
    expect(deploying.sort()).toEqual([...ALLOWED].sort());
  });
});
