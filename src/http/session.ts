import type { Request } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { Pool } from 'pg';

declare module 'express-session' {
  interface SessionData {
    userId: string;
    createdAt: number;
    /** A user past its password that still owes its second factor: not logged in (no userId) until it gives it. */
    mfaPending: { userId: string; since: number; failures: number };
  }
}

/** Absolute session lifetime regardless of activity (ASVS 7.3.2). */
export const SESSION_ABSOLUTE_MS = 12 * 3600_000;

export function sessionMiddleware(o: { pool: Pool; secret: string; idleMinutes: number; secureCookies: boolean }) {
  const PgStore = connectPgSimple(session);
  return session({
    store: new PgStore({ pool: o.pool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 600 }),
    // __Host- prefix: Secure, no Domain, Path=/ (ASVS 3.3.3); plain name over http in development.
    name: o.secureCookies ? '__Host-rl.sid' : 'rl.sid',
    secret: o.secret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'strict', secure: o.secureCookies, maxAge: o.idleMinutes * 60_000, path: '/' },
  });
}

export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve())));
}

export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((e) => (e ? reject(e) : resolve())));
}
