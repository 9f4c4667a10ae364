import { z } from 'zod';
import type { Request } from 'express';
import { UnauthenticatedError, ValidationError } from '../../shared/errors.ts';
import type { Config } from '../../config/schema.ts';
import type { Services } from '../../services/index.ts';
import { toActor, type UserRecord } from '../../services/users.ts';
import { writeAudit } from '../../services/audit.ts';
import { route } from '../route.ts';
import { regenerateSession, destroySession } from '../session.ts';

const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(128),
});
const mfaBody = z.strictObject({ code: z.string().regex(/^\d{6}$/, '须为 6 位数字') });

/** How long the second factor may take after the password, and how many wrong codes end the attempt. */
const MFA_PENDING_MS = 5 * 60_000;
const MFA_MAX_FAILURES = 5;

/** Where the browser opens the engine's Tasklist and Cockpit (links from the inbox and the monitor). */
const engineWebapps = (config: Config) => `${(config.ENGINE_PUBLIC_URL ?? config.ENGINE_REST_ADDRESS).replace(/\/$/, '')}/operaton`;

/** The session becomes the user's (a new id: ASVS 7.2.4), audited with how it was proven. */
async function logIn(req: Request, services: Services, user: UserRecord, secondFactor: boolean) {
  await regenerateSession(req);
  req.session.userId = user.id;
  req.session.createdAt = Date.now();
  const actor = toActor(user);
  await writeAudit(services.db, actor, { action: 'auth.login', entityType: 'session', entityId: user.id, after: { ip: req.ip, secondFactor } });
  return { user: actor, csrfToken: req.csrfToken?.() ?? null, engineWebapps: engineWebapps(services.config) };
}

export const sessionRoutes = [
  route({
    method: 'get',
    path: '/api/session',
    summary: 'Who am I; also issues the CSRF token for the next state-changing request',
    access: 'public',
    scope: 'own-user',
    async handler({ req, actor, services }) {
      const loggedIn = Boolean(req.session.userId);
      return { user: loggedIn ? actor : null, csrfToken: req.csrfToken?.() ?? null, engineWebapps: engineWebapps(services.config) };
    },
  }),
  route({
    method: 'post',
    path: '/api/session',
    summary: 'Log in; rotates the session id (ASVS 7.2.4)',
    access: 'public',
    scope: 'own-user',
    body: loginBody,
    async handler({ req, body, services }) {
      let user;
      try {
        user = await services.users.authenticate(body.username, body.password);
      } catch (error) {
        await writeAudit(services.db, { id: null, username: body.username, displayName: body.username, departmentId: null, roles: [] }, {
          action: 'auth.login.failed',
          entityType: 'session',
          after: { ip: req.ip },
        });
        throw error;
      }
      // One account, two doors: the engine (Tasklist) gets this password if it does not have it yet.
      await services.engineIdentity.afterLogin(user.username, body.password);
      await regenerateSession(req);
      const challenge = await services.mfa.challengeFor(user);
      if (challenge) {
        // The password was right; the session stays anonymous until the second factor is given too.
        req.session.mfaPending = { userId: user.id, since: Date.now(), failures: 0 };
        const enrollment = challenge === 'enroll' ? await services.mfa.startEnrollment(user) : undefined;
        return { user: null, mfa: { step: challenge, ...(enrollment && { enrollment }) }, csrfToken: req.csrfToken?.() ?? null, engineWebapps: engineWebapps(services.config) };
      }
      return logIn(req, services, user, false);
    },
  }),
  route({
    method: 'post',
    path: '/api/session/mfa',
    summary: 'Second factor after the password: the 6-digit code of the authenticator app (the first good one confirms its setup)',
    access: 'public',
    scope: 'own-user',
    body: mfaBody,
    async handler({ req, body, services }) {
      const pending = req.session.mfaPending;
      const user = pending && Date.now() - pending.since <= MFA_PENDING_MS ? await services.users.findById(pending.userId) : undefined;
      if (!pending || !user || user.disabled) {
        delete req.session.mfaPending;
        throw new UnauthenticatedError('登录已超时，请重新输入用户名和密码');
      }
      const result = await services.mfa.verify(user, body.code);
      if (!result.ok) {
        pending.failures += 1;
        const exhausted = pending.failures >= MFA_MAX_FAILURES;
        if (exhausted) delete req.session.mfaPending;
        await writeAudit(services.db, toActor(user), { action: 'auth.mfa.failed', entityType: 'session', entityId: user.id, after: { ip: req.ip, failures: pending.failures } });
        if (exhausted) throw new UnauthenticatedError('动态口令错误次数过多，请重新输入用户名和密码');
        throw new ValidationError([{ field: 'code', reason: '动态口令不正确或已使用过，请输入身份验证器当前显示的 6 位数字' }]);
      }
      if (result.enrolled) await writeAudit(services.db, toActor(user), { action: 'auth.mfa.enrolled', entityType: 'user', entityId: user.id, departmentId: user.departmentId });
      return logIn(req, services, user, true);
    },
  }),
  route({
    method: 'delete',
    path: '/api/session',
    summary: 'Log out: the server-side session is destroyed',
    access: 'authenticated',
    scope: 'own-user',
    async handler({ req, actor, services }) {
      if (!req.session.userId) throw new UnauthenticatedError('请先登录');
      await destroySession(req);
      await writeAudit(services.db, actor, { action: 'auth.logout', entityType: 'session', entityId: actor.id });
      return { ok: true };
    },
  }),
];
