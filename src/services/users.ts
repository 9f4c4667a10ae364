import argon2 from 'argon2';
import type { DataSource } from 'typeorm';
import { ConflictError, NotFoundError, UnauthenticatedError, ValidationError } from '../shared/errors.ts';
import { passwordProblem } from '../domain/identity/password-policy.ts';
import type { Actor, Role } from './actor.ts';
import { writeAudit, type Queryable } from './audit.ts';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  departmentId: string | null;
  roles: Role[];
  email: string | null;
  disabled: boolean;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  department_id: string | null;
  roles: Role[];
  email: string | null;
  disabled: boolean;
  password_hash: string;
}

const toRecord = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  departmentId: r.department_id,
  roles: r.roles,
  email: r.email,
  disabled: r.disabled,
});

export const toActor = (u: UserRecord): Actor => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  departmentId: u.departmentId,
  roles: u.roles,
});

/** The password policy of src/domain/identity/password-policy.ts, as the create call's field error. */
function checkPasswordPolicy(password: string, userInputs: readonly string[]): void {
  const problem = passwordProblem(password, userInputs);
  if (problem) throw new ValidationError([{ field: 'password', reason: problem }]);
}

/** argon2id with the library's defaults (m=64 MiB, t=3, p=4): ASVS 11.4.2. */
export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id });

// Verifying against a fixed hash when the user is unknown keeps response times alike (no user enumeration).
let dummyHash: Promise<string> | undefined;

export function createUserService(db: DataSource) {
  return {
    async authenticate(username: string, password: string): Promise<UserRecord> {
      const rows: UserRow[] = await db.query(`SELECT * FROM app_user WHERE username = $1`, [username]);
      const row = rows[0];
      dummyHash ??= hashPassword('not-a-real-password-for-timing');
      const ok = await argon2.verify(row?.password_hash ?? (await dummyHash), password);
      if (!row || !ok || row.disabled) throw new UnauthenticatedError('用户名或密码错误');
      return toRecord(row);
    },

    async findById(id: string): Promise<UserRecord | undefined> {
      const rows: UserRow[] = await db.query(`SELECT * FROM app_user WHERE id = $1`, [id]);
      return rows[0] && toRecord(rows[0]);
    },

    /** Every account, with whether it has a confirmed second factor (the admin's screen offers its reset). */
    async list(): Promise<(UserRecord & { secondFactor: boolean })[]> {
      const rows: (UserRow & { second_factor: boolean })[] = await db.query(
        `SELECT u.*, t.enabled_at IS NOT NULL AS second_factor FROM app_user u LEFT JOIN user_totp t ON t.user_id = u.id ORDER BY u.username`,
      );
      return rows.map((r) => ({ ...toRecord(r), secondFactor: r.second_factor }));
    },

    async create(
      actor: Actor,
      input: { username: string; displayName: string; password: string; departmentId: string | null; roles: Role[]; email?: string | null },
      q: Queryable = db,
    ): Promise<UserRecord> {
      checkPasswordPolicy(input.password, [input.username, input.displayName]);
      // The table's check says the same; refused here it is the admin's mistake, not a failed insert.
      if (input.roles.includes('department') && input.departmentId === null) {
        throw new ValidationError([{ field: 'departmentId', reason: '部门角色的用户须指定所属部门' }]);
      }
      const hash = await hashPassword(input.password);
      try {
        const rows: UserRow[] = await q.query(
          `INSERT INTO app_user (username, display_name, password_hash, department_id, roles, email)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
          [input.username, input.displayName, hash, input.departmentId, input.roles, input.email ?? null],
        );
        const user = toRecord(rows[0]!);
        await writeAudit(q, actor, { action: 'user.create', entityType: 'user', entityId: user.id, departmentId: user.departmentId, after: user });
        return user;
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw new ConflictError('用户名已存在');
        if ((error as { code?: string }).code === '23503') throw new ValidationError([{ field: 'departmentId', reason: '部门不存在' }]);
        throw error;
      }
    },

    /** Disabling a user also ends all of its sessions at once (ASVS 7.4.2). */
    async setDisabled(actor: Actor, userId: string, disabled: boolean): Promise<UserRecord> {
      return db.transaction(async (tx) => {
        const rows: UserRow[] = await tx.query(`SELECT * FROM app_user WHERE id = $1 FOR UPDATE`, [userId]);
        if (!rows[0]) throw new NotFoundError('用户不存在');
        const before = toRecord(rows[0]);
        const [updated]: [UserRow[]] = await tx.query(`UPDATE app_user SET disabled = $2 WHERE id = $1 RETURNING *`, [userId, disabled]);
        if (disabled) await tx.query(`DELETE FROM session WHERE sess->>'userId' = $1`, [userId]);
        const after = toRecord(updated[0]!);
        await writeAudit(tx, actor, { action: disabled ? 'user.disable' : 'user.enable', entityType: 'user', entityId: userId, before, after });
        return after;
      });
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
