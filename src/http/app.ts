import express, { type Request, type RequestHandler } from 'express';
import helmet from 'helmet';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { csrfSync } from 'csrf-sync';
import type { Pool } from 'pg';
import type { Config } from '../config/schema.ts';
import type { Services } from '../services/index.ts';
import type { Actor } from '../services/actor.ts';
import { toActor } from '../services/users.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError, type FieldProblem } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { errorHandler } from './errors.ts';
import type { RouteSpec } from './route.ts';
import { routes as defaultRoutes } from './routes/index.ts';
import { SESSION_ABSOLUTE_MS, regenerateSession, sessionMiddleware } from './session.ts';
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

/**
 * A JSON body whose strings PostgreSQL can store, else a refusal naming each field: JSON may carry a NUL
 * or half of a surrogate pair (\u0000, \ud800), which text and jsonb columns reject deep inside a write.
 * Walked without recursion and with paths built only for a bad string: bodies may nest thousands deep.
 */
function storable(body: unknown): unknown {
  const bad = (text: string) => text.includes('\0') || !text.isWellFormed();
  type Node = { value: unknown; key: string; parent: Node | null };
  const pathOf = (node: Node) => {
    const keys: string[] = [];
    for (let n: Node | null = node; n?.parent; n = n.parent) keys.unshift(n.key);
    return keys.join('.') || '(请求体)';
  };
  const problems: FieldProblem[] = [];
  const stack: Node[] = [{ value: body, key: '', parent: null }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node.value === 'string' && bad(node.value)) problems.push({ field: pathOf(node), reason: '含有无法保存的字符（空字符或不完整的 Unicode 字符）' });
    if (!node.value || typeof node.value !== 'object') continue;
    for (const [key, value] of Object.entries(node.value)) {
      const child = { value, key, parent: node };
      if (bad(key)) problems.push({ field: pathOf(child), reason: '字段名含有无法保存的字符' });
      stack.push(child);
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return body;
}

/** Builds the express app; never listens, so tests mount it on port 0. */
export function createApp(deps: AppDeps): express.Express {
  const { services, config, log } = deps;
  const app = express();
  app.disable('x-powered-by');
  // Behind the HTTPS proxy: req.secure (the Secure session cookie) and req.ip (login throttling) come from its headers.
  if (config.TRUST_PROXY) app.set('trust proxy', config.TRUST_PROXY);
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
    // An ended session gives way to a fresh, anonymous one (its row deleted): the request goes on
    // as nobody's, with a session to carry its CSRF token, as before any login.
    if (Date.now() - (req.session.createdAt ?? 0) > SESSION_ABSOLUTE_MS) {
      await regenerateSession(req);
      return next();
    }
    const user = await services.users.findById(userId);
    if (!user || user.disabled) {
      await regenerateSession(req);
      return next();
    }
    req.actor = toActor(user);
    next();
  };
  app.use(loadActor);

  // Brute-force control (ASVS 6.3.1): failed attempts only, per account and address for the password, per account for
  // the second factor (whoever has the password may come from many addresses, each with a new session).
  const failedAttemptLimit = (keyOf: (req: Request) => string) =>
    rateLimit({
      windowMs: 15 * 60_000,
      limit: config.LOGIN_RATE_LIMIT,
      skipSuccessfulRequests: true,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: keyOf,
      handler: (_req, res) => {
        res.status(429).json({ error: { status: 429, code: 'rate_limited', message: '登录失败次数过多，请 15 分钟后再试' } });
      },
    });
  app.post(
    '/api/session',
    failedAttemptLimit((req) => {
      // Only a string names an account: anything else is refused by the route's schema later and must not be
      // stringified here (a deeply nested array overflows the stack).
      const username = (req.body as { username?: unknown })?.username;
      return `${ipKeyGenerator(req.ip ?? '')}|${typeof username === 'string' ? username : ''}`;
    }),
  );
  app.post(
    '/api/session/mfa',
    failedAttemptLimit((req) => `mfa|${req.session.mfaPending?.userId ?? ipKeyGenerator(req.ip ?? '')}`),
  );

  for (const spec of deps.routes ?? defaultRoutes) {
    app[spec.method](spec.path, async (req, res) => {
      const verdict = allowed(spec, req.actor);
      if (verdict === 'unauthenticated') throw new UnauthenticatedError('请先登录');
      if (verdict === 'forbidden') throw new ForbiddenError('无权执行此操作');
      const params = spec.params ? parseOrThrow(spec.params, req.params, '') : (undefined as never);
      const query = spec.query ? parseOrThrow(spec.query, req.query, '') : (undefined as never);
      const body = spec.body ? parseOrThrow(spec.body, storable(req.body ?? {}), '') : (undefined as never);
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
