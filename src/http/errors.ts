import type { ErrorRequestHandler } from 'express';
import {
  BusinessRuleError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TransientError,
  UnauthenticatedError,
  ValidationError,
} from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { isTooLarge } from '../shared/upload-limit.ts';

interface HttpFailure {
  status: number;
  code: string;
  message: string;
  problems?: { field: string; reason: string }[];
}

/** One mapping from error to status and Chinese message; unknown errors are logged and say nothing more (ASVS 16.5.1). */
export function toHttpFailure(error: unknown): HttpFailure {
  if (error instanceof ValidationError) return { status: 400, code: 'validation', message: '输入有误', problems: error.problems };
  if (error instanceof UnauthenticatedError) return { status: 401, code: 'unauthenticated', message: error.message || '请先登录' };
  if (error instanceof ForbiddenError) return { status: 403, code: 'forbidden', message: error.message || '无权执行此操作' };
  if (error instanceof NotFoundError) return { status: 404, code: 'not_found', message: error.message || '未找到' };
  if (error instanceof ConflictError) return { status: 409, code: 'conflict', message: error.message };
  if (error instanceof TransientError) return { status: 503, code: 'unavailable', message: error.message };
  if (error instanceof BusinessRuleError) return { status: 422, code: error.code, message: error.message };
  const e = error as { type?: string; status?: number; code?: string };
  if (isTooLarge(error)) return { status: 413, code: 'too_large', message: '请求体过大' };
  if (e.type === 'entity.parse.failed') return { status: 400, code: 'malformed_json', message: 'JSON 格式错误，无法解析请求体', problems: [{ field: '(请求体)', reason: 'JSON 格式错误' }] };
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return { status: 415, code: 'unsupported', message: '不支持的编码' };
  if (e.code === 'EBADCSRFTOKEN' || (e.status === 403 && (error as Error).message === 'invalid csrf token')) {
    return { status: 403, code: 'csrf', message: 'CSRF 令牌无效，请刷新页面后重试' };
  }
  return { status: 500, code: 'internal', message: '服务器内部错误' };
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    // A failure after the response went out (e.g. saving a rolling session) can only be logged.
    if (res.headersSent) {
      log.warn({ err: error, path: req.path }, 'error after response was sent');
      return next(error);
    }
    const failure = toHttpFailure(error);
    if (failure.status === 503) log.warn({ method: req.method, path: req.path }, failure.message);
    else if (failure.status >= 500) log.error({ err: error, method: req.method, path: req.path }, 'request failed');
    else if (failure.status === 401 || failure.status === 403) log.warn({ method: req.method, path: req.path, code: failure.code }, 'request refused');
    res.status(failure.status).json({ error: failure });
  };
}
