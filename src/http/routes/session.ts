import { z } from 'zod';
import { UnauthenticatedError } from '../../shared/errors.ts';
import type { Config } from '../../config/schema.ts';
import { toActor } from '../../services/users.ts';
import { writeAudit } from '../../services/audit.ts';
import { route } from '../route.ts';
import { regenerateSession, destroySession } from '../session.ts';

const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(128),
});

/** Where the browser opens the engine's Tasklist and Cockpit (links from the inbox and the monitor). */
const engineWebapps = (config: Config) => `${(config.ENGINE_PUBLIC_URL ?? config.ENGINE_REST_ADDRESS).replace(/\/$/, '')}/operaton`;

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
      req.session.userId = user.id;
      req.session.createdAt = Date.now();
      const actor = toActor(user);
      await writeAudit(services.db, actor, { action: 'auth.login', entityType: 'session', entityId: user.id, after: { ip: req.ip } });
      return { user: actor, csrfToken: req.csrfToken?.() ?? null, engineWebapps: engineWebapps(services.config) };
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
