import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { EngineGateway } from './client.ts';
import { idsAnswer, lockedExternalTasksAnswer, type LockedExternalTask } from './rest-answers.ts';
import { EngineRestError, retryOnConflict } from './rest.ts';
import { fromTypedVariables, toTypedVariables } from './variables.ts';
import type { Logger } from '../shared/logger.ts';
import type { ProcessCatalog } from './catalog.ts';

/** What a handler knows about the job it works on: enough to key its effect and to log. */
export interface JobInfo {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  retries: number;
}

/** The job as the worker runtime sees it, with the three actions it may take. */
export interface HostedJob extends JobInfo {
  variables: unknown;
  complete(variables: Record<string, unknown>): Promise<unknown>;
  error(code: string, message: string, variables: Record<string, unknown>): Promise<unknown>;
  fail(message: string, retries: number, retryBackOffMs: number, details?: string): Promise<unknown>;
}

export interface JobHandlerRegistration {
  type: string;
  /** Longest a handler may run; its lock is extended while it runs, up to this. */
  timeoutMs: number;
  maxJobsToActivate: number;
  handle(job: HostedJob): Promise<unknown>;
}

/**
 * Upper bound of one long poll (the engine answers as soon as a task of ours is created on the
 * node we poll). A short bound makes the worker ask again soon after an engine restart, and lets
 * a second engine node's tasks be picked up without a notification (QUALITY.md R2).
 */
export const LONG_POLL_MS = 5000;

/**
 * Upper bound of a poll while a topic is at its limit of tasks in flight. Such a topic is left out
 * of the poll, and the engine answers a long poll only for the topics it names: when one of the
 * topic's jobs finished, its waiting tasks would sit until the long poll ran out — up to five
 * seconds per turn, a round's thirty notices numbered in bursts of eight with pauses between.
 */
export const SATURATED_POLL_MS = 250;

/**
 * A task is locked for this long (or its registration's timeout, when shorter) and the lock is
 * extended at half of it while its handler runs. Short, so a worker that dies without unlocking
 * (SIGKILL, power loss) holds its tasks for seconds, not for the handler's whole time budget.
 */
export const LOCK_MS = 20_000;

/** Pause after the engine could not be reached, doubling up to the maximum. */
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 5000;

export interface WorkerHost {
  readonly workerId: string;
  stop(): Promise<void>;
}

/** Retries of a task that has never failed (the engine reports null until its first failure). */
export const INITIAL_RETRIES = 3;

/** How long `stop()` lets running handlers finish before it hands their tasks back. */
export const STOP_GRACE_MS = 10_000;

/**
 * Fetches and locks external tasks for every registered topic in one long poll, runs each on its
 * registration's handler, and keeps at most `maxJobsToActivate` tasks of a topic in flight.
 * Locks are short and extended while a handler runs; on stop the poll is abandoned, running
 * handlers get a grace period, and every task still locked by this worker is unlocked so another
 * worker takes it at once (ENGINE.md: a dead worker otherwise holds its tasks for the lock).
 */
export function startJobWorkers(
  engine: EngineGateway,
  registrations: JobHandlerRegistration[],
  log: Logger,
  catalog?: Pick<ProcessCatalog, 'element'>,
  options: { stopGraceMs?: number; lockMs?: number } = {},
): WorkerHost {
  const lockOf = (r: JobHandlerRegistration) => Math.min(options.lockMs ?? LOCK_MS, r.timeoutMs);
  const rest = engine.rest;
  const workerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const byTopic = new Map(registrations.map((r) => [r.type, r]));
  const inFlight = new Map<string, number>();
  const running = new Set<Promise<void>>();
  const abort = new AbortController();
  let stopping = false;
  /** Poll loops waiting for a free slot; a finished job wakes them all. */
  const waiting = new Set<() => void>();
  const wakeAll = () => {
    for (const resume of waiting) resume();
    waiting.clear();
  };

  const freeSlots = (r: JobHandlerRegistration) => r.maxJobsToActivate - (inFlight.get(r.type) ?? 0);

  const withLock = async (task: LockedExternalTask, registration: JobHandlerRegistration, work: () => Promise<unknown>) => {
    const deadline = Date.now() + registration.timeoutMs;
    const timer = setInterval(() => {
      if (Date.now() > deadline) return; // past its budget the lock lapses and the task is redelivered
      rest.call('POST', `/external-task/${task.id}/extendLock`, { workerId, newDuration: lockOf(registration) }).catch((error: unknown) => {
        log.warn({ err: error, task: task.id }, 'extending a lock failed');
      });
    }, lockOf(registration) / 2);
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
  };

  /** An action on a task the engine no longer holds for us (completed by a redelivery, cancelled, lock lapsed). */
  const gone = (error: unknown) =>
    error instanceof EngineRestError && (error.status === 404 || /not found|is locked by worker|lock.*expired|Cannot find external task/i.test(error.message));

  /** An action on the task; one that collides with a concurrent transaction on the instance is made again. */
  const act = async (path: string, body: Record<string, unknown>) => {
    try {
      await retryOnConflict(() => rest.call('POST', path, { workerId, ...body }));
    } catch (error) {
      if (gone(error)) {
        log.warn({ path, err: error }, 'the engine no longer holds this task for us');
        return;
      }
      throw error;
    }
  };

  const run = (task: LockedExternalTask) => {
    const registration = byTopic.get(task.topicName);
    if (!registration) return;
    inFlight.set(task.topicName, (inFlight.get(task.topicName) ?? 0) + 1);
    // An element with output parameters maps the job's result itself: the result is completed as
    // local variables, so it reaches the process only through the mapping (as the diagram says).
    const local = (catalog?.element(task.processDefinitionKey, task.activityId)?.outputs.length ?? 0) > 0;
    const job: HostedJob = {
      key: task.id,
      type: task.topicName,
      processInstanceKey: task.processInstanceId,
      bpmnProcessId: task.processDefinitionKey,
      elementId: task.activityId,
      retries: task.retries ?? INITIAL_RETRIES,
      variables: fromTypedVariables(task.variables),
      complete: (variables) => act(`/external-task/${task.id}/complete`, local ? { localVariables: toTypedVariables(variables) } : { variables: toTypedVariables(variables) }),
      error: (code, message, variables) => act(`/external-task/${task.id}/bpmnError`, { errorCode: code, errorMessage: message, variables: toTypedVariables(variables) }),
      fail: (message, retries, retryBackOffMs, details) =>
        act(`/external-task/${task.id}/failure`, { errorMessage: message.slice(0, 3900), errorDetails: details ?? message, retries, retryTimeout: retryBackOffMs }),
    };
    const p: Promise<void> = withLock(task, registration, () => registration.handle(job))
      .catch((error: unknown) => log.error({ err: error, task: task.id, topic: task.topicName }, 'job handler failed outside its runtime'))
      .finally(() => {
        inFlight.set(task.topicName, (inFlight.get(task.topicName) ?? 1) - 1);
        running.delete(p);
        wakeAll();
      });
    running.add(p);
  };

  /**
   * One long poll loop per engine node. A node wakes the long polls waiting on itself when it
   * creates an external task, not those on another node (the notification is in its JVM): one poll
   * over nodes in turn would wait out its timeout whenever the other node made the task.
   */
  const poll = async (node: number) => {
    let backoff = BACKOFF_MIN_MS;
    while (!stopping) {
      const topics = registrations.filter((r) => freeSlots(r) > 0);
      if (topics.length === 0) {
        await new Promise<void>((resolve) => waiting.add(resolve));
        continue;
      }
      const maxTasks = Math.max(...topics.map(freeSlots));
      try {
        const tasks = await rest.read(
          'POST',
          '/external-task/fetchAndLock',
          lockedExternalTasksAnswer,
          {
            workerId,
            maxTasks,
            usePriority: true,
            asyncResponseTimeout: topics.length < registrations.length ? SATURATED_POLL_MS : LONG_POLL_MS,
            topics: topics.map((r) => ({ topicName: r.type, lockDuration: lockOf(r), deserializeValues: true })),
          },
          { signal: abort.signal, timeoutMs: LONG_POLL_MS + 10_000, node },
        );
        backoff = BACKOFF_MIN_MS;
        for (const task of tasks) {
          const registration = byTopic.get(task.topicName);
          // More tasks of a topic than its free slots (maxTasks is for the whole poll): hand back the rest.
          if (!registration || freeSlots(registration) <= 0) {
            await rest.call('POST', `/external-task/${task.id}/unlock`).catch(() => undefined);
            continue;
          }
          run(task);
        }
      } catch (error) {
        if (stopping) break;
        log.debug({ err: error }, 'fetchAndLock failed; backing off');
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
      }
    }
  };

  const loop = Promise.all(Array.from({ length: rest.nodes }, (_, node) => poll(node)));
  log.debug({ workerId, topics: registrations.length }, 'external-task worker started');

  return {
    workerId,
    async stop() {
      stopping = true;
      abort.abort();
      wakeAll();
      await loop;
      const grace = new Promise((r) => setTimeout(r, options.stopGraceMs ?? STOP_GRACE_MS).unref());
      await Promise.race([Promise.allSettled([...running]), grace]);
      // Whatever is still locked by us (a handler past the grace, or a poll answered as we aborted it) goes back now.
      try {
        const locked = await rest.read('GET', `/external-task?workerId=${encodeURIComponent(workerId)}&locked=true`, idsAnswer, undefined, { timeoutMs: 5000 });
        await Promise.all(locked.map((t) => rest.call('POST', `/external-task/${t.id}/unlock`).catch(() => undefined)));
        if (locked.length > 0) log.info({ unlocked: locked.length }, 'unlocked tasks on shutdown');
      } catch (error) {
        log.warn({ err: error }, 'could not unlock tasks on shutdown (they are redelivered when their lock lapses)');
      }
    },
  };
}
