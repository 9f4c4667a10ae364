import { request } from 'node:http';

/** What an endless chunked upload met: the server's answer, and whether it hung up before the client stopped sending. */
export interface EndlessUploadOutcome {
  status: number;
  body: { error?: { message?: string; problems?: { field: string; reason: string }[] } };
  /** Bytes the client had handed to its socket when the answer came. */
  sentBeforeAnswer: number;
  /** True when the server closed the connection while the client still sent (it stopped reading). */
  serverHungUp: boolean;
}

/**
 * POSTs a body without Content-Length (chunked) that never ends: 64 KiB chunks, each written when
 * the socket drains. A server that enforces its limit while streaming answers 413 early; one that
 * then hangs up stops taking bytes, one that drains the rest keeps taking them until `budget`
 * bytes after its answer (then the client stops and reports it did not hang up).
 */
export function endlessUpload(url: string, headers: Record<string, string>, budget = 64 * 1024 * 1024): Promise<EndlessUploadOutcome> {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered: { status: number; text: string; sentBeforeAnswer: number } | null = null;
    let afterAnswer = 0;
    let finished = false;
    const req = request(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } });
    const finish = (serverHungUp: boolean) => {
      if (finished || !answered) return;
      finished = true;
      req.destroy();
      resolve({ status: answered.status, body: answered.text ? JSON.parse(answered.text) : {}, sentBeforeAnswer: answered.sentBeforeAnswer, serverHungUp });
    };
    const pump = () => {
      while (!finished) {
        if (answered && afterAnswer > budget) return finish(false);
        sent += chunk.length;
        if (answered) afterAnswer += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        answered = { status: res.statusCode ?? 0, text, sentBeforeAnswer: sent };
        if (closed) finish(true);
      });
    });
    let closed = false;
    req.on('close', () => {
      closed = true;
      finish(true);
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    pump();
  });
}
