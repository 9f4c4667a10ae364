import type { ProcessCatalog } from './catalog.ts';

export interface DeploymentPlan {
  /** Processes whose every job type has a worker, and whose called processes are deployable too. */
  deploy: string[];
  /** Processes held back, with the job types no worker serves yet (or the called process held). */
  held: { processId: string; missing: string[] }[];
}

/**
 * Which processes may run: one whose service task has no worker would wait forever at that task,
 * so it is not deployed until the worker exists. Held processes are reported at start, never
 * hidden. Call activities propagate: a caller is held while its callee is.
 */
export function planDeployment(catalog: ProcessCatalog, servedTypes: ReadonlySet<string>): DeploymentPlan {
  const missing = new Map<string, string[]>();
  for (const id of catalog.processIds()) {
    const lacking = catalog.taskTypes(id).filter((t) => !servedTypes.has(t));
    if (lacking.length) missing.set(id, lacking);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of catalog.processIds()) {
      if (missing.has(id)) continue;
      const heldCallee = catalog.calledProcesses(id).find((callee) => missing.has(callee) || !catalog.processIds().includes(callee));
      if (heldCallee) {
        missing.set(id, [`(calls ${heldCallee})`]);
        changed = true;
      }
    }
  }
  return {
    deploy: catalog.processIds().filter((id) => !missing.has(id)).sort(),
    held: [...missing.entries()].map(([processId, types]) => ({ processId, missing: types })).sort((a, b) => a.processId.localeCompare(b.processId)),
  };
}
