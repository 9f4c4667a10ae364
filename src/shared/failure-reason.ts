import { AppError, ValidationError } from './errors.ts';

/**
 * Why a job failed, in Chinese: the message a failed job reports to the engine, which the engine
 * keeps as its incident's message — what the office reads on the 故障处理 screen (and Cockpit
 * shows) to decide who fixes what before 重试 (issue 21 §5). The technical error (in English, as the
 * database or library wrote it) goes with it only as the failure's details, which Cockpit and the log
 * show: a clerk's screen carries no English (issue 21 §8). Product errors (AppError) already speak
 * Chinese; database and network faults are named by what they mean for the person who can act.
 */

/** What a piece of work was doing when it failed, e.g. 文书生成失败（督办事项通知书）: set where it is known, read here. */
const contexts = new WeakMap<object, string>();

/**
 * Runs `work`; an error it throws leaves with `context` attached (the innermost context wins, so a
 * document's own step names it before the worker's). The error itself is rethrown unchanged: its
 * class and database code still decide retries and races.
 */
export async function withFailureContext<T>(context: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (typeof error === 'object' && error !== null && !contexts.has(error)) contexts.set(error, context);
    throw error;
  }
}

const CJK = /[\u4e00-\u9fff]/;

interface DatabaseFault {
  code: string;
  message: string;
}

/** A PostgreSQL error (pg's DatabaseError, or TypeORM's QueryFailedError, which copies its fields): a five-character SQLSTATE. */
function databaseFault(error: unknown): DatabaseFault | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { code?: unknown; message?: unknown; driverError?: { code?: unknown } };
  const code = typeof e.code === 'string' ? e.code : typeof e.driverError?.code === 'string' ? e.driverError.code : null;
  if (!code || !/^[0-9A-Z]{5}$/.test(code)) return null;
  return { code, message: String(e.message ?? '') };
}

const NETWORK = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ENOTFOUND|EPIPE)$/;

function databaseReason({ code }: DatabaseFault): string {
  if (code === '42501') return `数据库拒绝访问（权限不足，错误代码 ${code}）。请系统管理员重新启动应用（启动时重新授予应用数据库角色的权限）或检查该角色的授权，修复后重试`;
  if (code === '53100') return `数据库磁盘空间已满（错误代码 ${code}）。请系统管理员清理或扩容后重试`;
  if (code.startsWith('08') || code.startsWith('57P')) return `数据库暂不可用（错误代码 ${code}）。请系统管理员检查数据库服务，恢复后重试`;
  if (code.startsWith('23')) return `数据冲突（错误代码 ${code}）。请系统管理员核对相关记录后重试`;
  if (code.startsWith('42')) return `数据库结构与程序不一致（错误代码 ${code}）。请系统管理员确认数据库已升级到当前版本后重试`;
  return `数据库出错（错误代码 ${code}）。请系统管理员处理后重试`;
}

/** The Chinese reason of a failure, prefixed with what was being done when that is known. */
export function failureReason(error: unknown): string {
  const context = typeof error === 'object' && error !== null ? contexts.get(error) : undefined;
  const reason = bareReason(error);
  return context ? `${context}：${reason}` : reason;
}

function bareReason(error: unknown): string {
  if (error instanceof ValidationError) return `数据不完整或有误：${error.problems.map((p) => `${p.field} ${p.reason}`).join('；')}`;
  const db = databaseFault(error);
  if (db) return databaseReason(db);
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  if ((typeof code === 'string' && NETWORK.test(code)) || (typeof cause === 'string' && NETWORK.test(cause))) {
    return '网络或外部服务暂不可用（连接失败或超时）。恢复后重试';
  }
  if (error instanceof AppError && CJK.test(message)) return message;
  return '程序处理出错。请系统管理员查看流程引擎中该故障的详情或应用日志，修复后重试';
}
