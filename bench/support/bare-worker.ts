import { BasicAuthInterceptor, Client, Variables, type Task } from 'camunda-external-task-client-js';
import type { EngineAddress } from '../../src/engine/client.ts';
import { LONG_POLL_MS } from '../../src/engine/worker-host.ts';
import { toTypedVariables } from '../../src/engine/variables.ts';

/**
 * The benches' baseline worker: the official Camunda 7 external-task client for Node
 * (camunda-external-task-client-js), polling the engine like our worker host does — one long
 * poll (`asyncResponseTimeout` LONG_POLL_MS) for all its topics, asked again as soon as it is
 * answered, at most `maxTasks` tasks in flight — and completing each task at once. No schema
 * check, no effect or outbox transaction, no logging, no lock extension.
 */
export interface BareTopic {
  type: string;
  lockMs: number;
}

export interface BareWorkers {
  /** Tasks completed so far, and completions the engine refused. */
  readonly completed: number;
  readonly failed: number;
  /** Stops polling and waits for the poll under way to be answered and its tasks to be completed. */
  stop(): Promise<void>;
}

export interface BareCompletion {
  variables?: Record<string, unknown>;
  /** Set on the task's execution only (an element whose output parameters map them), as our host does. */
  local?: boolean;
}

export function startBareWorkers(
  engine: EngineAddress,
  topics: readonly BareTopic[],
  options: { maxTasks: number; completion?: (task: Task) => BareCompletion },
): BareWorkers {
  const client = new Client({
    baseUrl: `${engine.restAddress.replace(/\/$/, '')}/engine-rest`,
    interceptors: new BasicAuthInterceptor({ username: engine.credentials.user, password: engine.credentials.password }),
    workerId: `bench-bare-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    maxTasks: options.maxTasks,
    maxParallelExecutions: options.maxTasks,
    asyncResponseTimeout: LONG_POLL_MS,
    // Our host asks again as soon as a poll is answered; the client's default pause is 300 ms.
    interval: 0,
    usePriority: true,
    autoPoll: false,
  });
  let completed = 0;
  let failed = 0;
  let active = 0;
  let polling = false;
  client.on('poll:start', () => (polling = true));
  client.on('poll:success', () => (polling = false));
  client.on('poll:error', () => (polling = false));
  for (const topic of topics) {
    client.subscribe(topic.type, { lockDuration: topic.lockMs }, async ({ task, taskService }) => {
      active++;
      try {
        const { variables = {}, local = false } = options.completion?.(task) ?? {};
        const typed = new Variables().setAllTyped(toTypedVariables(variables));
        await (local ? taskService.complete(task, undefined, typed) : taskService.complete(task, typed));
        completed++;
      } catch {
        failed++;
      } finally {
        active--;
      }
    });
  }
  client.start();
  return {
    get completed() {
      return completed;
    },
    get failed() {
      return failed;
    },
    async stop() {
      client.stop();
      // The client cannot abandon its long poll: it is answered within LONG_POLL_MS.
      const deadline = Date.now() + LONG_POLL_MS + 10_000;
      while ((polling || active > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
