/** Who is acting: a logged-in user, or the system (workers, schedulers). */
export type Role = 'court_analyst' | 'leader' | 'peace_office' | 'department' | 'admin' | 'auditor';

export const ALL_ROLES: readonly Role[] = ['court_analyst', 'leader', 'peace_office', 'department', 'admin', 'auditor'];

export interface Actor {
  id: string | null;
  username: string;
  displayName: string;
  departmentId: string | null;
  roles: readonly Role[];
}

export const systemActor: Actor = { id: null, username: 'system', displayName: '系统', departmentId: null, roles: [] };

/** Candidate groups a user belongs to: its department and its roles (matching the diagrams' camunda:candidateGroups). */
export function groupsOf(actor: Actor): string[] {
  return [...actor.roles, ...(actor.departmentId ? [actor.departmentId] : [])];
}

/** Roles that read everything (never write through that reach). */
export function readsEverything(actor: Actor): boolean {
  return actor.roles.includes('admin') || actor.roles.includes('auditor');
}

/** The county's own view — the court, the office and leaders, and readers of everything; a department sees its own. */
export function seesCounty(actor: Actor): boolean {
  return readsEverything(actor) || actor.roles.some((r) => r === 'court_analyst' || r === 'peace_office' || r === 'leader');
}
