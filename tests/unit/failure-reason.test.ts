import { describe, expect, it } from 'vitest';
import { TransientError, ValidationError } from '../../src/shared/errors.ts';
import { failureReason, withFailureContext } from '../../src/shared/failure-reason.ts';

/** A PostgreSQL error as pg raises it (TypeORM's QueryFailedError copies the same fields). */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'ERROR' });

describe('failure reasons in Chinese (the incident message the office reads)', () => {
  it('when the database refuses a write, then the reason says so, quotes it, and says who fixes it and how', () => {
    const reason = failureReason(pgError('42501', 'permission denied for table document'));
    expect(reason).toMatch(/^数据库拒绝访问（权限不足：permission denied for table document）/);
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
    expect(failureReason(error)).toBe('内层：处理出错：boom');
  });

  it('when data is invalid, a service is unreachable or the product already speaks Chinese, then the reason is that', () => {
    expect(failureReason(new ValidationError([{ field: 'recipient.name', reason: '不能为空' }]))).toBe('数据不完整或有误：recipient.name 不能为空');
    expect(failureReason(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toMatch(/^网络或外部服务暂不可用/);
    expect(failureReason(pgError('57P01', 'terminating connection due to administrator command'))).toMatch(/^数据库暂不可用/);
    expect(failureReason(new TransientError('流程引擎暂不可用，请稍后重试'))).toBe('流程引擎暂不可用，请稍后重试');
    expect(failureReason('plain')).toBe('处理出错：plain');
  });
});
