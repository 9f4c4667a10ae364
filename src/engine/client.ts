import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import { ConflictError, NotFoundError, TransientError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';

/**
 * The only module that talks to the Camunda SDK (with src/engine/worker-host.ts). Everything else
 * depends on the `EngineGateway` port, so services and tests see plain functions.
 */
export interface EngineAddress {
  restAddress: string;
  grpcAddress: string;
}

export interface StartedInstance {
  processInstanceKey: string;
  processDefinitionVersion: number;
}

export interface EngineGateway {
  /** Deploys the named processes (`<dir>/<id>.bpmn`) and every form in `dir`, in one deployment. */
  deployProcesses(dir: string, processIds: readonly string[]): Promise<{ processes: { id: string; version: number }[]; forms: string[] }>;
  deployXml(name: string, xml: string): Promise<{ id: string; version: number }[]>;
  startProcess(processId: string, variables: Record<string, unknown>): Promise<StartedInstance>;
  /** Publishes a message; `messageId` makes a retry after a timeout a no-op while the first is buffered. */
  publishMessage(m: { name: string; correlationKey: string; variables?: Record<string, unknown>; messageId?: string; timeToLiveMs?: number }): Promise<void>;
  completeUserTask(userTaskKey: string, variables: Record<string, unknown>): Promise<void>;
  assignUserTask(userTaskKey: string, assignee: string): Promise<void>;
  unassignUserTask(userTaskKey: string): Promise<void>;
  cancelProcessInstance(processInstanceKey: string): Promise<void>;
  pinClock(at: Date): Promise<void>;
  resetClock(): Promise<void>;
  sdk(): Camunda8;
  close(): Promise<void>;
}

/** Adapts pino to the SDK's logger shape so engine client logs are structured like ours. */
function sdkLogger(log: Logger) {
  const child = log.child({ component: 'camunda-sdk' });
  return {
    error: (...a: unknown[]) => child.error({ sdk: a }, 'sdk'),
    warn: (...a: unknown[]) => child.warn({ sdk: a }, 'sdk'),
    info: (...a: unknown[]) => child.debug({ sdk: a }, 'sdk'),
    http: (...a: unknown[]) => child.trace({ sdk: a }, 'sdk'),
    verbose: (...a: unknown[]) => child.trace({ sdk: a }, 'sdk'),
    debug: (...a: unknown[]) => child.trace({ sdk: a }, 'sdk'),
    silly: (...a: unknown[]) => child.trace({ sdk: a }, 'sdk'),
    trace: (...a: unknown[]) => child.trace({ sdk: a }, 'sdk'),
  };
}

/**
 * Engine answers in our error vocabulary: unreachable or overloaded is a passing condition
 * (TransientError → 503 / job retry), an unknown task is not found, a task already done conflicts.
 */
async function reachable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const status = (error as { status?: number }).status;
    const text = `${(error as Error).name} ${(error as Error).message}`;
    if (status === 404) throw new NotFoundError('待办事项不存在或已办结');
    if (status === 409) throw new ConflictError('待办事项状态已变化，请刷新后重试');
    if (status === 429 || status === 503 || /ECONNREFUSED|fetch failed|UNAVAILABLE|ETIMEDOUT|NetworkSdkError/.test(text)) {
      throw new TransientError('流程引擎暂不可用，请稍后重试');
    }
    throw error;
  }
}

export function createEngineGateway(address: EngineAddress, log: Logger): EngineGateway {
  const c8 = new Camunda8({
    ZEEBE_REST_ADDRESS: address.restAddress,
    ZEEBE_GRPC_ADDRESS: address.grpcAddress,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    CAMUNDA_OAUTH_DISABLED: true,
    CAMUNDA_LOG_LEVEL: 'warn',
    ZEEBE_CLIENT_LOG_LEVEL: 'NONE',
    // Workers back off at most 5 s after an engine restart (SDK default 15 s), see QUALITY.md R2.
    CAMUNDA_JOB_WORKER_MAX_BACKOFF_MS: 5000,
    // gRPC's own reconnect back-off would otherwise grow to tens of seconds while the engine restarts.
    GRPC_INITIAL_RECONNECT_BACKOFF_MS: 500,
    GRPC_MIN_RECONNECT_BACKOFF_MS: 500,
    GRPC_MAX_RECONNECT_BACKOFF_MS: 3000,
    logger: sdkLogger(log),
  } as ConstructorParameters<typeof Camunda8>[0]);
  const zeebe = c8.getZeebeGrpcApiClient();
  const rest = c8.getOrchestrationClusterApiClientLoose();

  type Deployment = { process?: { bpmnProcessId: string; version: number } };
  const deployed = (res: { deployments: unknown[] }) =>
    (res.deployments as Deployment[]).flatMap((d) => (d.process ? [{ id: d.process.bpmnProcessId, version: d.process.version }] : []));

  return {
    async deployProcesses(dir, processIds) {
      const wanted = new Set(processIds.map((id) => `${id}.bpmn`));
      const files = (await readdir(dir)).filter((f) => wanted.has(f) || f.endsWith('.form')).sort();
      const resources = await Promise.all(
        files.map(async (f) => {
          const content = await readFile(path.join(dir, f));
          return f.endsWith('.form') ? { name: f, form: content } : { name: f, process: content };
        }),
      );
      if (resources.length === 0) return { processes: [], forms: [] };
      const res = await zeebe.deployResources(resources);
      return { processes: deployed(res), forms: files.filter((f) => f.endsWith('.form')) };
    },
    async deployXml(name, xml) {
      const res = await zeebe.deployResources([{ name, process: Buffer.from(xml) }]);
      return deployed(res);
    },
    async startProcess(processId, variables) {
      const res = await zeebe.createProcessInstance({ bpmnProcessId: processId, variables: variables as never });
      return { processInstanceKey: String(res.processInstanceKey), processDefinitionVersion: Number(res.version) };
    },
    async publishMessage(m) {
      // REST, not gRPC: the gRPC client retries an unreachable engine for minutes, so a request
      // that starts a round would hang; here it fails at once as a TransientError (503, job retry).
      await reachable(() =>
        rest.publishMessage({
          name: m.name,
          correlationKey: m.correlationKey,
          variables: m.variables ?? {},
          ...(m.messageId ? { messageId: m.messageId } : {}),
          timeToLive: m.timeToLiveMs ?? 60_000,
        }),
      );
    },
    async completeUserTask(userTaskKey, variables) {
      await reachable(() => rest.completeUserTask({ userTaskKey, variables }));
    },
    async assignUserTask(userTaskKey, assignee) {
      await reachable(() => rest.assignUserTask({ userTaskKey, assignee, allowOverride: true }));
    },
    async unassignUserTask(userTaskKey) {
      await reachable(() => rest.unassignUserTask({ userTaskKey }));
    },
    async cancelProcessInstance(processInstanceKey) {
      await zeebe.cancelProcessInstance(processInstanceKey);
    },
    async pinClock(at) {
      await rest.pinClock({ timestamp: at.getTime() });
    },
    async resetClock() {
      await rest.resetClock();
    },
    sdk: () => c8,
    close: () => c8.closeAllClients(),
  };
}
