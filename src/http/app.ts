import express, { type Request, type RequestHandler } from 'express';
import helmet from 'helmet';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { csrfSync } from 'csrf-sync';
import type { Pool } from 'pg';
import type { Config } from '../config/schema.ts';
import type { Services } from '../services/index.ts';
import type { Actor } from '../services/actor.ts';
import { toActor } from '../services/users.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { errorHandler } from './errors.ts';
import type { RouteSpec } from './route.ts';
import { routes as defaultRoutes } from './routes/index.ts';
import { SESSION_ABSOLUTE_MS, destroySession, sessionMiddleware } from './session.ts';
import { parseOrThrow } from '../shared/zod-problems.ts';

export interface AppDeps {
  services: Services;
  config: Config;
  pool: Pool;
  sessionSecret: string;
  log: Logger;
  routes?: RouteSpec<never, never, never>[];
  staticDir?: string;
}

const anonymous: Actor = { id: null, username: 'anonymous', displayName: '访客', departmentId: null, roles: [] };

declare module 'express-serve-static-core' {
  interface Request {
    actor: Actor;
  }
}

function allowed(spec: RouteSpec<never, never, never>, actor: Actor): 'ok' | 'unauthenticated' | 'forbidden' {
  if (spec.access === 'public') return 'ok';
  if (!actor.id) return 'unauthenticated';
  if (spec.access === 'authenticated') return 'ok';
  return spec.access.some((role) => actor.roles.includes(role)) ? 'ok' : 'forbidden';
}

/** Builds the express app; never listens, so tests mount it on port 0. */
export function createApp(deps: AppDeps): express.Express {
  const { services, config, log } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          // bpmn-js and form-js set element styles at runtime.
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'frame-ancestors': ["'none'"],
        },
      },
    }),
  );
  app.use('/api', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(express.json({ limit: config.HTTP_BODY_LIMIT_BYTES, strict: true }));
  app.use(
    sessionMiddleware({
      pool: deps.pool,
      secret: deps.sessionSecret,
      idleMinutes: config.SESSION_IDLE_MINUTES,
      secureCookies: config.NODE_ENV === 'production',
    }),
  );
  const { csrfSynchronisedProtection } = csrfSync({
    getTokenFromRequest: (req) => req.get('x-csrf-token'),
    errorConfig: { statusCode: 403, message: 'invalid csrf token', code: 'EBADCSRFTOKEN' },
  });
  app.use(csrfSynchronisedProtection);

  const loadActor: RequestHandler = async (req, _res, next) => {
    req.actor = anonymous;
    const userId = req.session.userId;
    if (!userId) return next();
    if (Date.now() - (req.session.createdAt ?? 0) > SESSION_ABSOLUTE_MS) {
      await destroySession(req);
      return next();
    }
    const user = await services.users.findById(userId);
    if (!user || user.disabled) {
      await destroySession(req);
      return next();
    }
    req.actor = toActor(user);
    next();
  };
  app.use(loadActor);

  // Brute-force control per account and address (ASVS 6.3.1); successful logins do not count.
  app.post(
    '/api/session',
    rateLimit({
      windowMs: 15 * 60_000,
      limit: config.LOGIN_RATE_LIMIT,
      skipSuccessfulRequests: true,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req: Request) => `${ipKeyGenerator(req.ip ?? '')}|${String((req.body as { username?: unknown })?.username ?? '')}`,
      handler: (_req, res) => {
        res.status(429).json({ error: { status: 429, code: 'rate_limited', message: '登录失败次数过多，请 15 分钟后再试' } });
      },
    }),
  );

  for (const spec of deps.routes ?? defaultRoutes) {
    app[spec.method](spec.path, async (req, res) => {
      const verdict = allowed(spec, req.actor);
      if (verdict === 'unauthenticated') throw new UnauthenticatedError('请先登录');
      if (verdict === 'forbidden') throw new ForbiddenError('无权执行此操作');
      const params = spec.params ? parseOrThrow(spec.params, req.params, '') : (undefined as never);
      const query = spec.query ? parseOrThrow(spec.query, req.query, '') : (undefined as never);
      const body = spec.body ? parseOrThrow(spec.body, req.body ?? {}, '') : (undefined as never);
      const result = await spec.handler({ actor: req.actor, params, query, body, services, req, res });
      if (!spec.raw) res.status(spec.status ?? 200).json(result ?? null);
    });
  }
  app.use('/api', () => {
    throw new NotFoundError('接口不存在');
  });
  if (deps.staticDir) {
    app.use(
      express.static(deps.staticDir, {
        index: 'index.html',
        maxAge: '1h',
        // Asset names carry content hashes; the page that names them must be revalidated after a rebuild.
        setHeaders: (res, file) => {
          if (file.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
        },
      }),
    );
  }
  app.use(errorHandler(log));
  return app;
}
