import { describe, expect, it } from 'vitest';
import { TransientError, ValidationError } from '../../src/shared/errors.ts';
import { failureReason, withFailureContext } from '../../src/shared/failure-reason.ts';

/** A PostgreSQL error as pg raises it (TypeORM's QueryFailedError copies the same fields). */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'ERROR' });

describe('failure reasons in Chinese (the incident message the office reads)', () => {
  it('when the database refuses a write, then the reason says so in Chinese with its code, and says who fixes it and how', () => {
    const reason = failureReason(pgError('42501', 'permission denied for table document'));
    expect(reason).toBe('数据库拒绝访问（权限不足，错误代码 42501）。请系统管理员重新启动应用（启动时重新授予应用数据库角色的权限）或检查该角色的授权，修复后重试');
    expect(reason).toContain('系统管理员');
    expect(reason).toContain('重试');
  });

  it('when a document step fails, then the reason names the paper; the error itself leaves unchanged', async () => {
    const refused = pgError('42501', 'permission denied for table document');
    const thrown = await withFailureContext('文书生成失败（督办事项通知书）', () => Promise.reject(refused)).catch((e: unknown) => e);
    expect(thrown).toBe(refused);
    expect((thrown as { code: string }).code).toBe('42501');
    expect(failureReason(thrown)).toMatch(/^文书生成失败（督办事项通知书）：数据库拒绝访问/);
  });

  it('when the innermost step named the failure, then an outer one does not rename it', async () => {
    const error = new Error('boom');
    await withFailureContext('外层', () => withFailureContext('内层', () => Promise.reject(error))).catch(() => undefined);
    expect(failureReason(error)).toBe('内层：程序处理出错。请系统管理员查看流程引擎中该故障的详情或应用日志，修复后重试');
  });

  it('when data is invalid, a service is unreachable or the product already speaks Chinese, then the reason is that', () => {
    expect(failureReason(new ValidationError([{ field: 'recipient.name', reason: '不能为空' }]))).toBe('数据不完整或有误：recipient.name 不能为空');
    expect(failureReason(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toMatch(/^网络或外部服务暂不可用/);
    expect(failureReason(pgError('57P01', 'terminating connection due to administrator command'))).toMatch(/^数据库暂不可用/);
    expect(failureReason(new TransientError('流程引擎暂不可用，请稍后重试'))).toBe('流程引擎暂不可用，请稍后重试');
    expect(failureReason('plain')).toBe('程序处理出错。请系统管理员查看流程引擎中该故障的详情或应用日志，修复后重试');
  });

  it('when a library or the database speaks English, then none of it reaches the reason (it stays in the details)', () => {
    const english = [
      pgError('42501', 'permission denied for table document'),
      pgError('23505', 'duplicate key value violates unique constraint "notice_number_key"'),
      pgError('XX000', 'internal error'),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
    ];
    // A SQLSTATE (42501, XX000) is a code to quote, not wording.
    for (const error of english) expect(failureReason(error).replace(/错误代码 [0-9A-Z]{5}/, ''), String(error)).not.toMatch(/[A-Za-z]{2,}/);
  });
});
