import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BusinessRuleError, PermanentError, TransientError } from '../../src/shared/errors.ts';
import { createLogger } from '../../src/shared/logger.ts';
import type { Services } from '../../src/services/index.ts';
import { complete, defineWorker } from '../../workers/runtime/define-worker.ts';
import { retryBackOffMs, runJob, type JobActions } from '../../workers/runtime/run-job.ts';

/** Records which job action the runtime chose; the job API itself is the outer edge. */
function recorder(): JobActions<string> & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    complete: async (v) => (calls.push(['complete', v]), 'ack'),
    error: async (c, m, v) => (calls.push(['error', c, m, v]), 'ack'),
    fail: async (m, r, b) => (calls.push(['fail', m, r, b]), 'ack'),
  };
}

const job = { key: '1', type: 't', processInstanceKey: '2', bpmnProcessId: 'p', elementId: 'e', retries: 3 };
const deps = { services: {} as Services, log: createLogger('silent') };
const worker = (handle: (v: { n: number }) => Promise<never> | Promise<ReturnType<typeof complete<{ doubled: number }>>>) =>
  defineWorker({ type: 't', description: 'test', input: z.object({ n: z.number() }), handle });

describe('run-job: handler outcomes to job actions', () => {
  it('when the handler returns, then the job completes with its variables', async () => {
    const actions = recorder();
    await runJob(worker(async (v) => complete({ doubled: v.n * 2 })), { ...job, variables: { n: 4 } }, actions, deps);
    expect(actions.calls).toEqual([['complete', { doubled: 8 }]]);
  });

  it('when completing fails after the effect (NOT_FOUND: already finished or cancelled), then the job is not failed as well', async () => {
    const actions = recorder();
    actions.complete = async (v) => {
      actions.calls.push(['complete', v]);
      throw Object.assign(new Error('5 NOT_FOUND: job not found'), { code: 5 });
    };
    await expect(runJob(worker(async (v) => complete({ doubled: v.n * 2 })), { ...job, variables: { n: 4 } }, actions, deps)).resolves.toBeUndefined();
    expect(actions.calls).toEqual([['complete', { doubled: 8 }]]);
  });

  it('when the variables do not match the schema, then the job fails with no retries (an incident) naming the field', async () => {
    const actions = recorder();
    await runJob(worker(async () => complete({ doubled: 0 })), { ...job, variables: { n: 'four' } }, actions, deps);
    expect(actions.calls[0]![0]).toBe('fail');
    expect(actions.calls[0]![1]).toMatch(/n: /);
    expect(actions.calls[0]![2]).toBe(0);
  });

  it('when a business rule refuses, then a BPMN error with its code is thrown', async () => {
    const actions = recorder();
    await runJob(worker(async () => Promise.reject(new BusinessRuleError('NO_RECIPIENTS', '没有需要发函的部门'))), { ...job, variables: { n: 1 } }, actions, deps);
    expect(actions.calls).toEqual([['error', 'NO_RECIPIENTS', '没有需要发函的部门', {}]]);
  });

  it('when a transient fault or an unknown error occurs, then the job fails with one retry fewer and a back-off', async () => {
    for (const [error, reason] of [
      [new TransientError('数据库暂不可用'), '数据库暂不可用'],
      [new Error('socket hang up'), '程序处理出错。请系统管理员查看流程引擎中该故障的详情或应用日志，修复后重试'],
    ] as const) {
      const actions = recorder();
      await runJob(worker(async () => Promise.reject(error)), { ...job, variables: { n: 1 } }, actions, deps);
      expect(actions.calls).toEqual([['fail', reason, 2, retryBackOffMs(2)]]);
    }
  });

  it('when the last retry fails, then the job fails with no retries and no back-off (an incident a 重试 runs at once)', async () => {
    const actions = recorder();
    await runJob(worker(async () => Promise.reject(new Error('socket hang up'))), { ...job, retries: 1, variables: { n: 1 } }, actions, deps);
    expect(actions.calls).toEqual([['fail', '程序处理出错。请系统管理员查看流程引擎中该故障的详情或应用日志，修复后重试', 0, 0]]);
  });

  it('when a permanent fault occurs, then the job fails with no retries (an incident)', async () => {
    const actions = recorder();
    await runJob(worker(async () => Promise.reject(new PermanentError('流程数据有误'))), { ...job, variables: { n: 1 } }, actions, deps);
    expect(actions.calls).toEqual([['fail', '流程数据有误', 0, 0]]);
  });

  it('when retries are used up, then back-off triples from 10 s and is capped at 10 minutes', () => {
    expect([retryBackOffMs(2), retryBackOffMs(1), retryBackOffMs(0)]).toEqual([10_000, 30_000, 90_000]);
    expect(retryBackOffMs(-20)).toBe(600_000);
  });
});
