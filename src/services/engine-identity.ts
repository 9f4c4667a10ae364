import type { DataSource } from 'typeorm';
import { ENGINE_ADMIN_USER, SERVICE_ACCOUNT, type EngineGateway } from '../engine/client.ts';
import { ENGINE_SCHEMA } from '../engine/local-engine.ts';
import {
  desiredIdentity,
  identityRepairs,
  type AppUnit,
  type AppUser,
  type EngineGroup,
  type EngineIdentity,
  type IdentityRepair,
} from '../domain/identity/engine-identity.ts';
import type { Logger } from '../shared/logger.ts';

/** Engine users that are not the app's: never deleted by a repair. */
const RESERVED = new Set([SERVICE_ACCOUNT, ENGINE_ADMIN_USER]);

/** How often the whole identity is compared and repaired (catches up after the engine was down). */
export const IDENTITY_REPAIR_INTERVAL_MS = 60_000;

/**
 * Keeps the engine's users and groups in step with the app's (issue 18 "one account, two doors"):
 * after every change of a user, at start and every minute, it compares both sides and repairs the
 * engine, logging each repair. Passwords reach the engine only when the app sees them in clear (set
 * or login); `app_user.engine_password_of` says which one the engine has. Failures never fail the
 * app's own change: the next repair catches up.
 */
export function createEngineIdentitySync(deps: { db: DataSource; engine: EngineGateway; log: Logger }) {
  const { db, engine, log } = deps;

  const readApp = async (): Promise<{ units: AppUnit[]; users: AppUser[] }> => ({
    units: await db.query(`SELECT id, name FROM department ORDER BY id`),
    users: (
      await db.query<{ username: string; display_name: string; department_id: string | null; roles: string[]; email: string | null; disabled: boolean }[]>(
        `SELECT username, display_name, department_id, roles, email, disabled FROM app_user ORDER BY username`,
      )
    ).map((u) => ({ username: u.username, displayName: u.display_name, departmentId: u.department_id, roles: u.roles, email: u.email, disabled: u.disabled })),
  });

  const readEngine = async (): Promise<EngineIdentity> => {
    const groups = await db.query<EngineGroup[]>(`SELECT id_ AS id, coalesce(name_, '') AS name, coalesce(type_, '') AS type FROM ${ENGINE_SCHEMA}.act_id_group`);
    const users = await db.query<{ id: string; firstName: string; lastName: string; email: string }[]>(
      `SELECT id_ AS id, coalesce(first_, '') AS "firstName", coalesce(last_, '') AS "lastName", coalesce(email_, '') AS email FROM ${ENGINE_SCHEMA}.act_id_user`,
    );
    const rows = await db.query<{ user_id: string; groups: string[] }[]>(
      `SELECT user_id_ AS user_id, array_agg(group_id_ ORDER BY group_id_) AS groups FROM ${ENGINE_SCHEMA}.act_id_membership GROUP BY user_id_`,
    );
    return { groups, users, memberships: new Map(rows.map((r) => [r.user_id, r.groups])) };
  };

  /** A created or deleted engine user has none of the app user's passwords: the next login hands it over. */
  const passwordGone = async (username: string) => {
    await db.query(`UPDATE app_user SET engine_password_of = NULL WHERE username = $1`, [username]);
  };

  const apply = async (repair: IdentityRepair) => {
    switch (repair.kind) {
      case 'createGroup':
        return engine.identity.createGroup(repair.group);
      case 'updateGroup':
        return engine.identity.updateGroup(repair.group);
      case 'createUser':
        await engine.identity.createUser(repair.user);
        return passwordGone(repair.user.id);
      case 'deleteUser':
        await engine.identity.deleteUser(repair.userId);
        return passwordGone(repair.userId);
      case 'updateUser':
        return engine.identity.updateUser(repair.user);
      case 'addMember':
        return engine.identity.addMember(repair.groupId, repair.userId);
      case 'removeMember':
        return engine.identity.removeMember(repair.groupId, repair.userId);
    }
  };

  // One repair at a time in this process; across processes the transaction-scoped advisory lock.
  let running: Promise<IdentityRepair[]> = Promise.resolve([]);
  const repairOnce = () =>
    db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('engine-identity', 0))`);
      const { units, users } = await readApp();
      const repairs = identityRepairs(desiredIdentity(units, users), await readEngine(), RESERVED);
      for (const repair of repairs) {
        await apply(repair);
        log.debug({ repair }, 'engine identity repair');
      }
      // One line a person can read (a first start makes dozens): how many of each kind.
      if (repairs.length > 0) {
        const counts: Record<string, number> = {};
        for (const { kind } of repairs) counts[kind] = (counts[kind] ?? 0) + 1;
        log.info({ repairs: counts }, 'engine identity repaired');
      }
      return repairs;
    });

  /** Hands a password the app just saw in clear to the engine, unless the engine has that one already. */
  const handOver = async (username: string, password: string) => {
    const [row] = await db.query<{ password_hash: string; engine_password_of: string | null; disabled: boolean }[]>(
      `SELECT password_hash, engine_password_of, disabled FROM app_user WHERE username = $1`,
      [username],
    );
    if (!row || row.disabled || row.engine_password_of === row.password_hash) return;
    await engine.identity.setPassword(username, password);
    await db.query(`UPDATE app_user SET engine_password_of = $2 WHERE username = $1 AND password_hash = $2`, [username, row.password_hash]);
  };

  const self = {
    /** Compares the whole identity and repairs the engine; the repairs made. Throws when the engine cannot be reached. */
    repair(): Promise<IdentityRepair[]> {
      running = running.catch(() => []).then(repairOnce);
      return running;
    },

    /**
     * After users were created, enabled, disabled or changed, with the passwords just set where the
     * app has them. Never throws: the app's change stands, the engine catches up later.
     */
    async afterUsersChanged(changes: { username: string; password?: string }[]): Promise<void> {
      try {
        await self.repair();
        for (const c of changes) if (c.password) await handOver(c.username, c.password);
      } catch (error) {
        log.warn({ err: error, users: changes.map((c) => c.username) }, 'engine identity not in step yet; the next repair catches up');
      }
    },

    /** At a successful login: the engine gets this password if it does not have it yet. Never throws. */
    async afterLogin(username: string, password: string): Promise<void> {
      try {
        const [row] = await db.query<{ pending: boolean }[]>(`SELECT engine_password_of IS DISTINCT FROM password_hash AS pending FROM app_user WHERE username = $1`, [username]);
        if (!row?.pending) return;
        await self.repair();
        await handOver(username, password);
      } catch (error) {
        log.warn({ err: error, username }, 'could not hand the password to the engine; the next login tries again');
      }
    },

    /** Repairs now and then every `intervalMs`; the returned function stops it. */
    start(intervalMs = IDENTITY_REPAIR_INTERVAL_MS): () => Promise<void> {
      const tick = () =>
        self.repair().catch((error: unknown) => log.warn({ err: error }, 'engine identity repair failed; tried again in a minute'));
      void tick();
      const timer = setInterval(() => void tick(), intervalMs);
      return async () => {
        clearInterval(timer);
        await running.catch(() => undefined);
      };
    },
  };
  return self;
}

export type EngineIdentitySync = ReturnType<typeof createEngineIdentitySync>;
