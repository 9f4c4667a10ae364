/**
 * A tiny cookie-and-CSRF-aware client for our HTTP API, as a browser would use it:
 * GET /api/session for the token, then send it in x-csrf-token on every state change.
 */
export class ApiClient {
  private cookie = '';
  csrfToken = '';

  readonly baseUrl: string;
  /** Sent with every request, e.g. what the HTTPS proxy in front of a production app adds. */
  private readonly defaultHeaders: Record<string, string>;
  constructor(baseUrl: string, defaultHeaders: Record<string, string> = {}) {
    this.baseUrl = baseUrl;
    this.defaultHeaders = defaultHeaders;
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...this.defaultHeaders,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrfToken && method !== 'GET' ? { 'x-csrf-token': this.csrfToken } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? (body as string | Uint8Array<ArrayBuffer>) : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  /** The session cookie, for a raw `fetch` (binary downloads). */
  cookieHeader(): string {
    return this.cookie;
  }

  async refreshCsrf(): Promise<void> {
    const res = await this.request('GET', '/api/session');
    this.csrfToken = res.body.csrfToken;
  }

  async login(username: string, password: string): Promise<{ status: number; body: any }> {
    await this.refreshCsrf();
    const res = await this.request('POST', '/api/session', { username, password });
    if (res.status === 200) this.csrfToken = res.body.csrfToken;
    return res;
  }

  get sessionCookie(): string {
    return this.cookie;
  }
}
