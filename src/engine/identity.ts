import { randomBytes } from 'node:crypto';
import type { EngineGroup, EngineUser } from '../domain/identity/engine-identity.ts';
import type { EngineRest } from './rest.ts';

/**
 * The engine's identity service over REST (users, groups, memberships, passwords), as the app's
 * service account. Reads go to the engine's tables instead (src/services/engine-identity.ts): one
 * query for all memberships rather than a call per user.
 */
export interface EngineIdentityClient {
  createGroup(group: EngineGroup): Promise<void>;
  updateGroup(group: EngineGroup): Promise<void>;
  /** A new user gets a password nobody knows; the user's own follows when the app learns it. */
  createUser(user: EngineUser): Promise<void>;
  updateUser(user: EngineUser): Promise<void>;
  deleteUser(userId: string): Promise<void>;
  addMember(groupId: string, userId: string): Promise<void>;
  removeMember(groupId: string, userId: string): Promise<void>;
  /** The engine hashes it (salted) and keeps only the hash. */
  setPassword(userId: string, password: string): Promise<void>;
}

const path = (id: string) => encodeURIComponent(id);

export function createEngineIdentityClient(rest: EngineRest, servicePassword: string): EngineIdentityClient {
  return {
    createGroup: (g) => rest.call('POST', '/group/create', g),
    updateGroup: (g) => rest.call('PUT', `/group/${path(g.id)}`, g),
    createUser: (u) => rest.call('POST', '/user/create', { profile: u, credentials: { password: randomBytes(24).toString('base64url') } }),
    updateUser: (u) => rest.call('PUT', `/user/${path(u.id)}/profile`, u),
    deleteUser: (id) => rest.call('DELETE', `/user/${path(id)}`),
    addMember: (groupId, userId) => rest.call('PUT', `/group/${path(groupId)}/members/${path(userId)}`),
    removeMember: (groupId, userId) => rest.call('DELETE', `/group/${path(groupId)}/members/${path(userId)}`),
    // The engine asks for the password of the account making the change (the service account's).
    setPassword: (userId, password) => rest.call('PUT', `/user/${path(userId)}/credentials`, { password, authenticatedUserPassword: servicePassword }),
  };
}
