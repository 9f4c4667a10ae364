import type pg from 'pg';
import { waitFor } from '../../src/shared/wait-for.ts';

/** Every bench user's password. */
export const BENCH_PASSWORD = 'bench-password-123';

/**
 * A bench user signed in to the app as the web client does it: GET /api/session for a session and
 * its CSRF token, POST the credentials with that token; the session cookie and the token the
 * signed-in session answers with (a state-changing request sends it in x-csrf-token).
 */
export async function signIn(base: string, username: string, password: string): Promise<{ cookie: string; csrfToken: string }> {
  const first = await fetch(`${base}/api/session`);
  const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await first.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login of ${username} answered ${res.status}`);
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrfToken: ((await res.json()) as { csrfToken: string }).csrfToken };
}

/** Rolling sessions are saved after their responses: waits until the last saves have landed, before the pool ends. */
export async function sessionSavesLanded(pool: pg.Pool): Promise<void> {
  await waitFor(async () => pool.waitingCount === 0 && pool.idleCount === pool.totalCount, 'the session saves to finish', 10_000);
}
