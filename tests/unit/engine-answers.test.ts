import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockedExternalTasksAnswer } from '../../src/engine/rest-answers.ts';
import { createEngineRest, EngineAnswerError } from '../../src/engine/rest.ts';

/**
 * The engine's answers are checked against the shapes the product reads (src/engine/rest-answers.ts):
 * an answer that changed shape (an upgrade, a wrong call) stops the call with the path and the
 * field, instead of flowing on as `undefined`. The engine here is a stub at the HTTP edge; the
 * real engine's answers pass the same schemas in every integration and process test.
 */
describe('engine answers', () => {
  let server: Server;
  let answer: unknown;
  let address = '';

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const rest = () => createEngineRest({ restAddress: address, credentials: { user: 'risk-loop', password: 'x' } });
  const task = { id: 't1', topicName: 'issue-risk-notice', processInstanceId: 'p1', processDefinitionKey: 'risk-notice', activityId: 'issueNotice', retries: null };

  it('when the engine answers in the shape we read, then the call returns it typed, without the fields we do not read', async () => {
    answer = [{ ...task, workerId: 'w', variables: { roundId: { type: 'String', value: '2026-H1', valueInfo: {} } } }];
    expect(await rest().read('POST', '/external-task/fetchAndLock', lockedExternalTasksAnswer, {})).toEqual([
      { ...task, variables: { roundId: { type: 'String', value: '2026-H1', valueInfo: {} } } },
    ]);
  });

  it('when a field we read is missing or of another type, then the call fails naming the path and the field', async () => {
    answer = [{ ...task, activityId: undefined, retries: '3' }];
    const call = rest().read('POST', '/external-task/fetchAndLock?x=1', lockedExternalTasksAnswer, {});
    await expect(call).rejects.toBeInstanceOf(EngineAnswerError);
    await expect(rest().read('POST', '/external-task/fetchAndLock?x=1', lockedExternalTasksAnswer, {})).rejects.toThrow(
      /^the engine's answer to POST \/external-task\/fetchAndLock is not the shape risk-loop reads: 0\.activityId: .+; 0\.retries: .+$/,
    );
  });
});
