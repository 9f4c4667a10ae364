import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../shared/logger.ts';
import { correlationResultsAnswer, deploymentAnswer, idsAnswer, startedInstanceAnswer, taskExecutionAnswer, typedVariablesAnswer } from './rest-answers.ts';
import { asUserCall, createEngineRest, retryOnConflict, type EngineRest } from './rest.ts';
import { fromTypedVariables, toTypedVariables } from './variables.ts';
import { createEngineIdentityClient, type EngineIdentityClient } from './identity.ts';
import { formForEngine } from './form-output-schema.ts';

/**
 * The only module that talks to the engine's REST API (with src/engine/worker-host.ts, which polls
 * through the same `rest`). Everything else depends on the `EngineGateway` port, so services and
 * tests see plain functions.
 */
export interface EngineAddress {
  /** Where the engine application answers, e.g. http://127.0.0.1:8080 (REST under /engine-rest). */
  restAddress: string;
  /** Further nodes of the same engine (same database): calls go round all of them (src/engine/rest.ts). */
  moreNodes?: string[];
  /** The engine user the calls are made as (the REST API requires authentication). */
  credentials: EngineCredentials;
}

export interface EngineCredentials {
  user: string;
  password: string;
}

/** The app's own account on the engine (src/engine/operaton ServiceAccountPlugin creates it). */
export const SERVICE_ACCOUNT = 'risk-loop-service';
/** The engine's own administrator (Cockpit, Admin; application.yaml `admin-user`), apart from the app's users. */
export const ENGINE_ADMIN_USER = 'engine-admin';

export interface StartedInstance {
  processInstanceKey: string;
  processDefinitionVersion: number;
}

/**
 * Serialises the start of one business key across app nodes (a PostgreSQL advisory lock in
 * production, src/db/start-lock.ts): Operaton does not enforce unique business keys.
 */
export type StartLock = <T>(key: string, work: () => Promise<T>) => Promise<T>;

export interface EngineGateway {
  /** Deploys the named processes (`<dir>/<id>.bpmn`) and every form in `dir`, in one deployment; unchanged resources get no new version. */
  deployProcesses(dir: string, processIds: readonly string[]): Promise<{ processes: { id: string; version: number }[]; forms: string[] }>;
  deployXml(name: string, xml: string): Promise<{ id: string; version: number }[]>;
  startProcess(processId: string, variables: Record<string, unknown>, businessKey?: string): Promise<StartedInstance>;
  /**
   * Sends a message. `correlationKey` is the business key of the receiving instance. A message
   * named `start-<processId>` starts that process with the key as its business key, unless an
   * instance of it with that key is running (then it is a no-op: a repeated start never makes a
   * second instance). Any other message reaches the running instances of that business key that
   * wait for it, and is dropped when none does (messages are not buffered; `messageId` and
   * `timeToLiveMs` are accepted for the callers' records only). Resolves to whether an instance
   * received it (a start: whether an instance with the key runs now).
   */
  publishMessage(m: { name: string; correlationKey: string; variables?: Record<string, unknown>; messageId?: string; timeToLiveMs?: number }): Promise<boolean>;
  /** The variables a user task sees (its own, its scopes', the instance's; the nearest wins). */
  taskVariables(userTaskKey: string): Promise<Record<string, unknown>>;
  /**
   * Completes a user task. `local`: the task's element maps its result with output parameters, so
   * the result is set on the task's execution only and reaches the process through the mapping.
   */
  completeUserTask(userTaskKey: string, variables: Record<string, unknown>, options?: { local?: boolean }): Promise<void>;
  assignUserTask(userTaskKey: string, assignee: string): Promise<void>;
  unassignUserTask(userTaskKey: string): Promise<void>;
  cancelProcessInstance(processInstanceKey: string): Promise<void>;
  /**
   * Retries an external task whose failures used up its retries (its incident is resolved): one
   * more attempt, at once — the lock's expiry the last failure left is cleared first.
   */
  retryExternalTask(externalTaskId: string): Promise<void>;
  /** Retries a job (timer, async continuation) whose failures used up its retries: one more attempt. */
  retryJob(jobId: string): Promise<void>;
  /** Moves the engine clock (only an engine started clock-controlled has the endpoint). */
  pinClock(at: Date): Promise<void>;
  resetClock(): Promise<void>;
  /** The REST layer, for the worker host. */
  readonly rest: EngineRest;
  /** Users, groups and passwords, kept in step with the app's (src/services/engine-identity.ts). */
  readonly identity: EngineIdentityClient;
  close(): Promise<void>;
}

/** A message of this name starts the process named after it (a convention the contract test checks). */
export function startedProcessOf(messageName: string): string | undefined {
  return /^start-(.+)$/.exec(messageName)?.[1];
}

/** The definition id is `<key>:<version>:<id>`. */
function versionOf(definitionId: string): number {
  return Number(definitionId.split(':')[1]);
}

/** Without a shared lock (a test's bare gateway), starts in this process are still serialised. */
function inProcessLock(): StartLock {
  const tails = new Map<string, Promise<unknown>>();
  return async (key, work) => {
    const before = tails.get(key) ?? Promise.resolve();
    const mine = before.then(work, work);
    tails.set(key, mine.catch(() => undefined));
    try {
      return await mine;
    } finally {
      if (tails.get(key) === mine) tails.delete(key);
    }
  };
}

export function createEngineGateway(address: EngineAddress, log: Logger, options: { startLock?: StartLock } = {}): EngineGateway {
  const rest = createEngineRest(address);
  const startLock = options.startLock ?? inProcessLock();
  // Each node's JVM has a clock of its own: a test moves all of them (a node that is down is skipped).
  const clockUrls = [address.restAddress, ...(address.moreNodes ?? [])].map((a) => `${a.replace(/\/$/, '')}/engine-rest-test/clock`);

  const deploy = async (name: string, files: { name: string; content: Buffer }[]) => {
    const form = new FormData();
    form.set('deployment-name', name);
    form.set('deployment-source', 'risk-loop');
    form.set('enable-duplicate-filtering', 'true');
    form.set('deploy-changed-only', 'true');
    for (const f of files) form.set(f.name, new Blob([new Uint8Array(f.content)]), f.name);
    const res = await rest.upload('/deployment/create', form, deploymentAnswer);
    return Object.values(res.deployedProcessDefinitions ?? {}).map((d) => ({ id: d.key, version: d.version }));
  };

  const clock = async (method: 'PUT' | 'DELETE', body?: unknown) => {
    let moved = 0;
    for (const url of clockUrls) {
      const res = await fetch(url, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10_000),
      }).catch((error: unknown) => {
        if (clockUrls.length > 1 && /ECONNREFUSED/.test(String((error as { cause?: unknown }).cause))) return undefined;
        throw error;
      });
      if (!res) continue;
      if (!res.ok) throw new Error(`engine clock ${method} answered ${res.status} (is the engine clock-controlled?)`);
      moved++;
    }
    if (moved === 0) throw new Error('no engine node answered the clock');
  };

  return {
    rest,
    identity: createEngineIdentityClient(rest, address.credentials.password),
    async deployProcesses(dir, processIds) {
      const wanted = new Set(processIds.map((id) => `${id}.bpmn`));
      const names = (await readdir(dir)).filter((f) => wanted.has(f) || f.endsWith('.form')).sort();
      if (names.length === 0) return { processes: [], forms: [] };
      const files = await Promise.all(
        names.map(async (name) => {
          const content = await readFile(path.join(dir, name));
          return { name, content: name.endsWith('.form') ? Buffer.from(formForEngine(content.toString('utf8'))) : content };
        }),
      );
      const processes = await deploy('risk-loop', files);
      return { processes, forms: names.filter((f) => f.endsWith('.form')) };
    },
    deployXml: (name, xml) => deploy(name.replace(/\.bpmn$/, ''), [{ name: name.endsWith('.bpmn') ? name : `${name}.bpmn`, content: Buffer.from(xml) }]),
    async startProcess(processId, variables, businessKey) {
      const res = await rest.read('POST', `/process-definition/key/${encodeURIComponent(processId)}/start`, startedInstanceAnswer, {
        variables: toTypedVariables(variables),
        ...(businessKey ? { businessKey } : {}),
      });
      return { processInstanceKey: res.id, processDefinitionVersion: versionOf(res.definitionId) };
    },
    async publishMessage(m) {
      const processVariables = toTypedVariables(m.variables ?? {});
      const processId = startedProcessOf(m.name);
      if (!processId) {
        const matched = await retryOnConflict(() =>
          rest.read('POST', '/message', correlationResultsAnswer, { messageName: m.name, businessKey: m.correlationKey, processVariables, all: true, resultEnabled: true }),
        );
        if (matched.length === 0) log.info({ message: m.name, businessKey: m.correlationKey }, 'message dropped: no instance waits for it');
        return matched.length > 0;
      }
      return startLock(`${processId}:${m.correlationKey}`, async () => {
        const running = await rest.read(
          'GET',
          `/process-instance?processDefinitionKey=${encodeURIComponent(processId)}&businessKey=${encodeURIComponent(m.correlationKey)}&maxResults=1`,
          idsAnswer,
        );
        if (running.length > 0) {
          log.debug({ process: processId, businessKey: m.correlationKey }, 'start skipped: an instance with this business key runs');
          return true;
        }
        await rest.call('POST', '/message', { messageName: m.name, businessKey: m.correlationKey, processVariables });
        return true;
      });
    },
    taskVariables: (userTaskKey) =>
      asUserCall(() => rest.read('GET', `/task/${userTaskKey}/variables?deserializeValues=true`, typedVariablesAnswer)).then(fromTypedVariables),
    async completeUserTask(userTaskKey, variables, options) {
      // A completion that collides with a timer or a worker on the same instance is made again.
      if (!options?.local) {
        await asUserCall(() => retryOnConflict(() => rest.call('POST', `/task/${userTaskKey}/complete`, { variables: toTypedVariables(variables) })));
        return;
      }
      // Task-local variables are invisible to the element's output mapping; the execution's are
      // not. Setting them again on a retry is harmless.
      const task = await asUserCall(() => rest.read('GET', `/task/${userTaskKey}`, taskExecutionAnswer));
      await rest.call('POST', `/execution/${task.executionId}/localVariables`, { modifications: toTypedVariables(variables) });
      await asUserCall(() => retryOnConflict(() => rest.call('POST', `/task/${userTaskKey}/complete`, { variables: {} })));
    },
    async assignUserTask(userTaskKey, assignee) {
      await asUserCall(() => rest.call('POST', `/task/${userTaskKey}/assignee`, { userId: assignee }));
    },
    async unassignUserTask(userTaskKey) {
      await asUserCall(() => rest.call('POST', `/task/${userTaskKey}/assignee`, { userId: null }));
    },
    async cancelProcessInstance(processInstanceKey) {
      await retryOnConflict(() => rest.call('DELETE', `/process-instance/${processInstanceKey}?skipCustomListeners=true`));
    },
    async retryExternalTask(externalTaskId) {
      // Unlocked while it has no retries, no worker can take it in between; with a retry it is fetchable at once.
      await retryOnConflict(() => rest.call('POST', `/external-task/${encodeURIComponent(externalTaskId)}/unlock`));
      await retryOnConflict(() => rest.call('PUT', `/external-task/${encodeURIComponent(externalTaskId)}/retries`, { retries: 1 }));
    },
    async retryJob(jobId) {
      await retryOnConflict(() => rest.call('PUT', `/job/${encodeURIComponent(jobId)}/retries`, { retries: 1 }));
    },
    pinClock: (at) => clock('PUT', { timestamp: at.getTime() }),
    resetClock: () => clock('DELETE'),
    close: async () => {},
  };
}
