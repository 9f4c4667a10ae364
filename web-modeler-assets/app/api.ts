/**
 * The browser's only way to the server: our JSON API, with the session cookie and the CSRF
 * token (header x-csrf-token on every state change). Errors arrive as
 * {error: {status, code, message, problems}} with Chinese text, kept as an ApiError.
 */
export interface FieldProblem {
  field: string;
  reason: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: FieldProblem[] = [],
  ) {
    super(message);
  }
}

let csrfToken = '';
let onUnauthenticated: () => void = () => {};

export function setCsrfToken(token: string | null): void {
  csrfToken = token ?? '';
}

/** Called when the session has ended (401 on a route that needs a login). */
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // A file (Blob) goes as the raw body: the server streams it against its size limit.
  const file = body instanceof Blob;
  if (body !== undefined) headers['content-type'] = file ? 'application/octet-stream' : 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  return fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : file ? body : JSON.stringify(body) });
}

async function failure(res: Response): Promise<ApiError> {
  try {
    const payload = (await res.json()) as { error?: { code?: string; message?: string; problems?: FieldProblem[] } };
    const e = payload.error ?? {};
    return new ApiError(res.status, e.code ?? 'unknown', e.message ?? `请求失败（${res.status}）`, e.problems ?? []);
  } catch {
    return new ApiError(res.status, 'unknown', res.status >= 500 ? '服务器暂时无法响应，请稍后重试' : `请求失败（${res.status}）`);
  }
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await send(method, path, body);
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试');
  }
  if (res.status === 403 && method !== 'GET') {
    const err = await failure(res);
    if (err.code !== 'csrf') throw err;
    // The token rotates with the session: fetch a fresh one and try once more.
    const session = (await (await send('GET', '/api/session')).json()) as { csrfToken: string | null };
    setCsrfToken(session.csrfToken);
    res = await send(method, path, body);
  }
  if (!res.ok) {
    const err = await failure(res);
    // The login's own steps answer 401 to the login page, which shows why; elsewhere it means the session ended.
    if (err.status === 401 && !path.startsWith('/api/session')) onUnauthenticated();
    throw err;
  }
  return (res.status === 204 ? null : await res.json()) as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);

/** Query string from defined values only. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? '?' + new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString() : '';
}
