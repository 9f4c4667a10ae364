import type { z } from 'zod';
import { ConflictError, NotFoundError, TransientError } from '../shared/errors.ts';
import type { EngineAddress } from './client.ts';

/**
 * The HTTP layer under the engine gateway and the worker host: one fetch per call to Operaton's
 * REST API (`/engine-rest`), with its answers put into our error vocabulary so that callers never
 * see HTTP: unreachable or overloaded is a passing condition (TransientError → 503 / job retry),
 * an unknown resource is not found, a resource that changed underneath conflicts.
 */
export class EngineRestError extends Error {
  readonly status: number;
  readonly type: string;
  constructor(status: number, type: string, message: string) {
    super(message);
    this.name = 'EngineRestError';
    this.status = status;
    this.type = type;
  }
}

/** `node`: the node (index into restAddress, ...moreNodes) to ask first, instead of the next in turn. */
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  node?: number;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface EngineRest {
  /** How many engine nodes the calls go round. */
  readonly nodes: number;
  /** A call whose answer is not read. */
  call(method: Method, path: string, body?: unknown, options?: CallOptions): Promise<void>;
  /** A call whose answer is read: checked against its schema (src/engine/rest-answers.ts). */
  read<T>(method: Method, path: string, answer: z.ZodType<T>, body?: unknown, options?: CallOptions): Promise<T>;
  /** Multipart POST (deployments), its answer checked as `read` does. */
  upload<T>(path: string, form: FormData, answer: z.ZodType<T>): Promise<T>;
}

/** The engine answered in a shape the product does not know: an upgrade changed it, or the call is wrong. Not transient. */
export class EngineAnswerError extends Error {
  constructor(method: string, path: string, error: z.ZodError) {
    super(`the engine's answer to ${method} ${path.split('?')[0]} is not the shape risk-loop reads: ${error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'EngineAnswerError';
  }
}

function checked<T>(method: string, path: string, answer: z.ZodType<T>, value: unknown): T {
  const parsed = answer.safeParse(value);
  if (!parsed.success) throw new EngineAnswerError(method, path, parsed.error);
  return parsed.data;
}

/** A request that takes longer than this is treated as the engine being unreachable. */
const DEFAULT_TIMEOUT_MS = 30_000;

function isNetworkFailure(error: unknown): boolean {
  const text = `${(error as Error)?.name} ${(error as Error)?.message} ${String((error as { cause?: unknown })?.cause ?? '')}`;
  return /ECONNREFUSED|ECONNRESET|fetch failed|ETIMEDOUT|TimeoutError|socket hang up|UND_ERR/.test(text);
}

async function answer(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (res.ok) return text ? JSON.parse(text) : undefined;
  let type = '';
  let message = text;
  try {
    const body = JSON.parse(text) as { type?: string; message?: string };
    type = body.type ?? '';
    message = body.message ?? text;
  } catch {
    // not JSON: keep the text
  }
  throw new EngineRestError(res.status, type, `${res.status} ${type}: ${message}`.trim());
}

/** The node's connection was refused: nothing reached it, so another node may take the call. */
function isRefused(error: unknown): boolean {
  return /ECONNREFUSED/.test(`${(error as Error)?.message} ${String((error as { cause?: unknown })?.cause ?? '')} ${(error as { cause?: { code?: string } })?.cause?.code ?? ''}`);
}

/**
 * The REST API of one engine, or of several nodes on one database (`moreNodes`): calls go round
 * the nodes, and a call a node refuses to connect (down, restarting) is made on the next one, so
 * a dead node costs no call. Only a refused connection moves a call: one that may have reached a
 * node (a timeout, a reset) is not repeated elsewhere, it is a TransientError like any other.
 */
export function createEngineRest({ restAddress, moreNodes = [], credentials }: EngineAddress): EngineRest {
  const bases = [restAddress, ...moreNodes].map((a) => `${a.replace(/\/$/, '')}/engine-rest`);
  const authorization = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  let turn = 0;
  const send = async (path: string, init: RequestInit, options?: CallOptions): Promise<unknown> => {
    const timeout = AbortSignal.timeout(options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = options?.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const first = (options?.node ?? turn++) % bases.length;
    const reach = async (i: number): Promise<Response> => {
      try {
        return await fetch(`${bases[(first + i) % bases.length]}${path}`, { ...init, signal });
      } catch (error) {
        if (options?.signal?.aborted) throw error;
        if (isRefused(error) && i < bases.length - 1) return reach(i + 1);
        if (isNetworkFailure(error)) throw new TransientError('流程引擎暂不可用，请稍后重试');
        throw error;
      }
    };
    const res = await reach(0);
    if (res.status === 503 || res.status === 502 || res.status === 429) throw new TransientError('流程引擎暂不可用，请稍后重试');
    return answer(res);
  };
  const request = (method: Method, path: string, body: unknown, options?: CallOptions) =>
    send(
      path,
      {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), accept: 'application/json', authorization },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      options,
    );
  return {
    nodes: bases.length,
    call: async (method, path, body, options) => void (await request(method, path, body, options)),
    read: async (method, path, schema, body, options) => checked(method, path, schema, await request(method, path, body, options)),
    upload: async (path, form, schema) => checked('POST', path, schema, await send(path, { method: 'POST', headers: { accept: 'application/json', authorization }, body: form }, undefined)),
  };
}

/**
 * Two transactions changed the same instance at once (parallel branches, a timer and a person):
 * the engine's optimistic locking refused one, or PostgreSQL broke a deadlock between them (seen
 * in the county-year run: the REST API then only says "an exception occurred in the persistence
 * layer"), or the loser found an execution the winner had just removed (ENGINE-03077, also seen
 * there). Either way the loser's transaction was rolled back whole.
 */
export function isConcurrencyConflict(error: unknown): boolean {
  return (
    error instanceof EngineRestError &&
    (error.type === 'OptimisticLockingException' || /ENGINE-03005|ENGINE-03077|updated by another transaction concurrently|exception occurred in the persistence layer/.test(error.message))
  );
}

const CONFLICT_ATTEMPTS = 8;

/** Makes a call again while it loses such a race (safe: nothing of the losing attempt was kept). */
export async function retryOnConflict<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isConcurrencyConflict(error) || attempt >= CONFLICT_ATTEMPTS) throw error;
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 80 * attempt));
    }
  }
}

/**
 * User-facing calls (task completion, claims): a task that is gone is not found, a task changed
 * underneath (completed by someone else, optimistic locking) conflicts.
 */
export async function asUserCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof EngineRestError) {
      if (error.status === 404 || /NotFound|not found|Cannot find task/i.test(error.message)) throw new NotFoundError('待办事项不存在或已办结');
      if (error.status === 409 || isConcurrencyConflict(error) || /TaskAlreadyClaimed/i.test(error.type)) throw new ConflictError('待办事项状态已变化，请刷新后重试');
    }
    throw error;
  }
}
