/**
 * The few parts of the official Camunda 7 external-task client (camunda-external-task-client-js
 * 3.1.0, ESM-only, no types of its own; @types/camunda-external-task-client-js describes an older
 * CommonJS version) that the benches use as their bare-worker baseline.
 */
declare module 'camunda-external-task-client-js' {
  export interface TypedValue {
    type: string;
    value: unknown;
    valueInfo?: Record<string, unknown>;
  }

  export class Variables {
    constructor(initialVariables?: Record<string, TypedValue>);
    get(name: string): unknown;
    getAll(): Record<string, unknown>;
    setTyped(name: string, typedValue: TypedValue): this;
    setAllTyped(typedValues: Record<string, TypedValue>): this;
  }

  export interface Task {
    id: string;
    topicName: string;
    processInstanceId: string;
    processDefinitionKey: string;
    activityId: string;
    variables: Variables;
  }

  export interface TaskService {
    complete(task: Task, variables?: Variables, localVariables?: Variables): Promise<void>;
  }

  export interface ClientOptions {
    /** e.g. http://127.0.0.1:8080/engine-rest */
    baseUrl: string;
    workerId?: string;
    /** Tasks asked for per fetchAndLock. */
    maxTasks?: number;
    /** Tasks in flight at most; none more are fetched while reached. */
    maxParallelExecutions?: number;
    /** Pause after each poll, ms (default 300). */
    interval?: number;
    /** Long-poll bound of fetchAndLock, ms. */
    asyncResponseTimeout?: number;
    lockDuration?: number;
    autoPoll?: boolean;
    usePriority?: boolean;
    /** Request interceptors, e.g. a BasicAuthInterceptor. */
    interceptors?: unknown;
  }

  /** Adds HTTP Basic authentication to every request (an interceptor for `ClientOptions.interceptors`). */
  export class BasicAuthInterceptor {
    constructor(options: { username: string; password: string });
  }

  export interface SubscribeOptions {
    lockDuration?: number;
  }

  export type Handler = (args: { task: Task; taskService: TaskService }) => Promise<void>;

  export class Client {
    constructor(options: ClientOptions);
    subscribe(topic: string, options: SubscribeOptions, handler: Handler): { unsubscribe(): void };
    start(): void;
    /** Stops polling; a poll under way is answered and its tasks still run. */
    stop(): void;
    /** Events: poll:start, poll:success, poll:error, complete:success, complete:error, handler:error, … */
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
