import { z } from 'zod';
import type { EngineGateway } from '../../src/engine/client.ts';
import { eventually } from './engine.ts';

const externalTask = z.object({ id: z.string(), retries: z.number().nullable(), lockExpirationTime: z.string().nullable() });

/** The engine writes offsets as +0800; Date.parse wants +08:00. */
const parseEngineTime = (text: string) => Date.parse(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));

/**
 * Drives a failing worker's retries until they are used up, without sleeping: after each failure
 * the task waits out its back-off (10 s, then 30 s of engine time); the engine clock is moved
 * past it, and the worker's next poll takes the task again. Returns when the task has no retries left.
 */
export async function failUntilRetriesRunOut(engine: EngineGateway, processInstanceKey: string, topic: string): Promise<void> {
  const task = async () =>
    (await engine.rest.read('GET', `/external-task?processInstanceId=${processInstanceKey}&topicName=${encodeURIComponent(topic)}`, z.array(externalTask)))[0];
  for (const left of [2, 1]) {
    const failed = await eventually(async () => {
      const t = await task();
      return t?.retries === left && t.lockExpirationTime ? t : undefined;
    }, `${topic} to fail with ${left} retries left`, 60_000);
    await engine.pinClock(new Date(parseEngineTime(failed.lockExpirationTime!) + 1000));
  }
  await eventually(async () => ((await task())?.retries === 0 ? true : undefined), `${topic} to use up its retries`, 60_000);
}
