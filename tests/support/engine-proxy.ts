import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { EngineAddress } from '../../src/engine/client.ts';

/** A task completion the proxy kept from the engine. */
export interface HeldCompletion {
  taskId: string;
  topic: string;
  processInstanceId: string;
}

/**
 * An HTTP proxy between a worker process and the engine's REST API that can hold back a task's
 * completion: the worker has committed its effect and sent `complete`, the engine never hears of
 * it — the worst moment to kill the worker. Every other request passes through unchanged. The
 * proxy learns each task's topic and instance from the fetchAndLock answers it forwards.
 */
export interface EngineProxy {
  address: EngineAddress;
  /** The next completion of a task of `topic`: held (never forwarded nor answered) and reported. */
  holdCompletion(topic: string): Promise<HeldCompletion>;
  stop(): Promise<void>;
}

const COMPLETE = /^\/engine-rest\/external-task\/([^/]+)\/complete$/;
const FETCH = '/engine-rest/external-task/fetchAndLock';
/** Hop-by-hop headers and those fetch recomputes. */
const DROPPED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'content-encoding']);

export async function startEngineProxy(engine: EngineAddress): Promise<EngineProxy> {
  const target = engine.restAddress.replace(/\/$/, '');
  const tasks = new Map<string, { topic: string; processInstanceId: string }>();
  const holds = new Map<string, (held: HeldCompletion) => void>();
  const sockets = new Set<Socket>();

  const body = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  const forward = async (req: IncomingMessage, res: ServerResponse, payload: Buffer) => {
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => !DROPPED.has(k) && typeof v === 'string')) as Record<string, string>;
    const answer = await fetch(`${target}${req.url}`, { method: req.method, headers, body: payload.length > 0 ? payload : undefined });
    const text = Buffer.from(await answer.arrayBuffer());
    if (req.url === FETCH && answer.ok) {
      for (const t of JSON.parse(text.toString('utf8')) as { id: string; topicName: string; processInstanceId: string }[]) {
        tasks.set(t.id, { topic: t.topicName, processInstanceId: t.processInstanceId });
      }
    }
    const type = answer.headers.get('content-type');
    res.writeHead(answer.status, type ? { 'content-type': type } : {});
    res.end(text);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const payload = await body(req);
      const taskId = req.method === 'POST' ? COMPLETE.exec(req.url ?? '')?.[1] : undefined;
      const task = taskId ? tasks.get(taskId) : undefined;
      const hold = task && holds.get(task.topic);
      if (hold) {
        holds.delete(task.topic);
        hold({ taskId: taskId!, ...task });
        return; // never answered: the caller is killed while it waits
      }
      await forward(req, res, payload);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    address: { restAddress: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, credentials: engine.credentials },
    holdCompletion: (topic) => new Promise((resolve) => holds.set(topic, resolve)),
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
