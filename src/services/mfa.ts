import QRCode from 'qrcode';
import type { DataSource } from 'typeorm';
import { mfaRoles, type Config } from '../config/schema.ts';
import { matchingStep, newTotpSecret, totpUri } from '../domain/identity/totp.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import { personalDataKey } from '../shared/state-files.ts';
import type { Actor } from './actor.ts';
import { openTotpSecret, sealTotpSecret } from './totp-sealing.ts';
import { writeAudit } from './audit.ts';
import type { UserRecord } from './users.ts';

/** What an authenticator app needs to be set up: the secret typed in, or the QR code of its address. */
export interface TotpEnrollment {
  secret: string;
  uri: string;
  /** The QR code as an SVG data URL (the login page shows it as an image; no markup of ours is injected). */
  qrCode: string;
}

/**
 * The second factor (ASVS 6.3.3): who must give one, setting it up at the first login, checking a code once
 * (a step is never accepted twice, nor one older than the last), and an administrator's reset for a lost phone.
 */
export function createMfaService(deps: { db: DataSource; config: Config; now?: () => number }) {
  // Wall time, never the loop's clock (which tests and the dry run move): the user's phone shows wall time.
  const now = deps.now ?? Date.now;
  const key = () => personalDataKey(deps.config);
  const rowOf = async (userId: string) =>
    ((await deps.db.query(`SELECT sealed_secret, enabled_at FROM user_totp WHERE user_id = $1`, [userId])) as { sealed_secret: string; enabled_at: Date | null }[])[0];

  return {
    /** 'verify' when the user has a second factor, 'enroll' when its role needs one it has not set up, else undefined. */
    async challengeFor(user: UserRecord): Promise<'verify' | 'enroll' | undefined> {
      if ((await rowOf(user.id))?.enabled_at) return 'verify';
      return user.roles.some((r) => mfaRoles(deps.config).includes(r)) ? 'enroll' : undefined;
    },

    /** A new secret for a user without a confirmed one (an unconfirmed one is replaced: the QR code shown last counts). */
    async startEnrollment(user: UserRecord): Promise<TotpEnrollment> {
      const secret = newTotpSecret();
      const rows: unknown[] = await deps.db.query(
        `INSERT INTO user_totp (user_id, sealed_secret) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET sealed_secret = EXCLUDED.sealed_secret, created_at = now(), last_step = NULL
         WHERE user_totp.enabled_at IS NULL
         RETURNING user_id`,
        [user.id, sealTotpSecret(secret, user.id, await key())],
      );
      if (rows.length === 0) throw new ConflictError('该用户已设置动态口令');
      const uri = totpUri(secret, user.username);
      return { secret, uri, qrCode: `data:image/svg+xml;base64,${Buffer.from(await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })).toString('base64')}` };
    },

    /**
     * Whether the code is good, taking its time step in the same statement that checks it is newer than the last
     * one taken (two requests racing with one code: one wins). The first good code confirms an enrollment.
     */
    async verify(user: UserRecord, code: string): Promise<{ ok: boolean; enrolled: boolean }> {
      const row = await rowOf(user.id);
      if (!row) return { ok: false, enrolled: false };
      const step = matchingStep(openTotpSecret(row.sealed_secret, user.id, await key()), code, now());
      if (step === undefined) return { ok: false, enrolled: false };
      const [taken]: { was_enabled: boolean }[][] = await deps.db.query(
        `WITH old AS (SELECT enabled_at FROM user_totp WHERE user_id = $1 FOR UPDATE)
         UPDATE user_totp t SET last_step = $2, enabled_at = coalesce(t.enabled_at, now())
         FROM old WHERE t.user_id = $1 AND (t.last_step IS NULL OR t.last_step < $2)
         RETURNING old.enabled_at IS NOT NULL AS was_enabled`,
        [user.id, step],
      );
      return taken?.[0] ? { ok: true, enrolled: !taken[0].was_enabled } : { ok: false, enrolled: false };
    },

    /** An administrator removes a user's second factor (a lost phone); the next login sets up a new one. Audited. */
    async reset(actor: Actor, userId: string): Promise<void> {
      await deps.db.transaction(async (tx) => {
        const users: { department_id: string | null }[] = await tx.query(`SELECT department_id FROM app_user WHERE id = $1`, [userId]);
        if (!users[0]) throw new NotFoundError('用户不存在');
        const removed: unknown[][] = await tx.query(`DELETE FROM user_totp WHERE user_id = $1 RETURNING enabled_at`, [userId]);
        // The user's sessions end with it: whoever holds the phone is out too.
        await tx.query(`DELETE FROM session WHERE sess->>'userId' = $1`, [userId]);
        await writeAudit(tx, actor, { action: 'user.mfa.reset', entityType: 'user', entityId: userId, departmentId: users[0].department_id, after: { removed: removed[0]?.length ?? 0 } });
      });
    },
  };
}

export type MfaService = ReturnType<typeof createMfaService>;
