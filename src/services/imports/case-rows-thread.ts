import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { CauseKind } from '../../domain/cases/cause-catalogue.ts';
import type { CoverageTally } from '../../domain/cases/coverage.ts';
import { ValidationError, type FieldProblem } from '../../shared/errors.ts';
import { Credits, Wakeup } from '../../shared/wakeup.ts';
import type { CopyChunk } from './case-copy-lines.ts';
import type { ImportSummary, ReadOptions } from './records.ts';

/**
 * A case file's rows read, validated, masked and laid out as COPY lines on a thread of their own
 * (case-rows-thread.entry.ts), while this thread only moves bytes: the upload's into the thread,
 * the thread's COPY chunks into PostgreSQL, and the stored 案号 into the thread's Bloom filter.
 * Parsing is most of an import's CPU time; on the app's thread it would stall every request while
 * a large file loads, and its heap would be the app's (the thread's is capped: resourceLimits).
 *
 * Every direction is flow-controlled by credits, so neither a fast upload or key read nor a slow
 * COPY makes anyone hold more than a few chunks: the upload and the stored 案号 each send at most
 * INPUT_CREDITS chunks the thread has not read, the thread at most OUTPUT_CREDITS chunks COPY has
 * not taken. (Without credits the key reader posted every chunk PostgreSQL sent, however far behind the thread was.)
 */

export interface RowThreadData {
  read: ReadOptions;
  hmacKey: string;
  today: string;
  /** The file id new rows carry into case_record. */
  fileId: string;
  /** Bits of the 案号 Bloom filter; 0 stages every row. */
  keyFilterBits: number;
  /** The 案由 catalogue (cause_catalogue) each row's cause must come from. */
  causes: [string, CauseKind][];
}

export type ToThread = { kind: 'start'; data: RowThreadData } | { kind: 'keys'; bytes: Uint8Array } | { kind: 'keys-end' } | { kind: 'input'; bytes: Uint8Array } | { kind: 'input-end' } | { kind: 'taken' };

export interface RowsResult {
  summary: ImportSummary;
  coverage: Pick<CoverageTally, 'first' | 'last' | 'rows'>;
  /** Rows sent to the staging table, and straight into case_record. */
  staged: number;
  direct: number;
  /** Free-text values sent before a later row gave a name they hold: the importer rewrites them (FileNames.revisions). */
  revisions: { from: string; to: string }[];
}

export type FromThread =
  | { kind: 'chunk'; chunk: CopyChunk; rowsRead: number }
  | { kind: 'consumed' }
  | { kind: 'keys-consumed' }
  | { kind: 'done'; result: RowsResult }
  | { kind: 'failed'; problems?: FieldProblem[]; message: string; stack?: string };

export const INPUT_CREDITS = 8;
export const OUTPUT_CREDITS = 4;

/**
 * The thread's heap: enough for an XLSX's shared strings and the rows in flight; a file that
 * needs more fails the import, not the app. A 24 MB young generation imported 1 M rows no slower
 * than 48 MB, at the same RSS (bench/import.ts).
 */
const THREAD_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 24 };

export interface CaseRows {
  /** Sends the stored 案号 (COPY TO's text bytes) into the thread's filter; must end before any row is routed. */
  addStoredKeys(source: AsyncIterable<Buffer>): Promise<void>;
  /** The COPY chunks as the thread makes them; rejects with the upload's or the thread's error. */
  chunks(onProgress?: (rowsRead: number) => void): AsyncGenerator<CopyChunk>;
  /** What the thread counted, once every chunk is taken. */
  result(): Promise<RowsResult>;
  stop(): Promise<void>;
}

/**
 * Threads kept for the next import: loading the reader's modules (ExcelJS, the parsers) takes a
 * thread about 0.35 s. An idle one does not keep the process alive (unref).
 */
const idleThreads = new Set<Worker>();
const MAX_IDLE_THREADS = 2;
const threadEntry = new URL('./case-rows-thread.entry.ts', import.meta.url);
// A kept thread that ends while idle (killed, out of memory) leaves the set: it would take a job and never answer.
const forget = function (this: Worker) {
  idleThreads.delete(this);
};

function takeThread(): Worker {
  const [kept] = idleThreads;
  if (!kept) return new Worker(threadEntry, { resourceLimits: THREAD_LIMITS });
  idleThreads.delete(kept);
  kept.off('exit', forget).ref();
  return kept;
}

function keepThread(worker: Worker): boolean {
  if (idleThreads.size >= MAX_IDLE_THREADS) return false;
  idleThreads.add(worker);
  worker.on('exit', forget).unref();
  return true;
}

/**
 * A chunk in a memory block of its own, to be transferred to the thread: as it is when it fills
 * its block (a file or socket read's chunk does: most of an upload), else copied (a slice of a
 * block other buffers share cannot be transferred). The chunk is the reader's alone once read, so
 * handing its block over takes nothing from anyone; copying every chunk made 200 MB of garbage
 * per 1 M rows on the importing thread.
 */
function ownBlock(chunk: Buffer): Uint8Array<ArrayBuffer> {
  const { buffer } = chunk;
  return buffer instanceof ArrayBuffer && chunk.byteOffset === 0 && chunk.byteLength === buffer.byteLength ? new Uint8Array(buffer) : new Uint8Array(chunk);
}

export function startCaseRows(input: Readable, data: RowThreadData): CaseRows {
  const worker = takeThread();
  worker.postMessage({ kind: 'start', data } satisfies ToThread);
  const chunks: { chunk: CopyChunk; rowsRead: number }[] = [];
  let result: RowsResult | undefined;
  // The thread's job is over (done, or failed by itself): the thread can take the next file.
  let ended = false;
  let failure: { error: unknown } | undefined;
  // A chunk arrived, the job ended or failed: the importer's reading side looks again.
  const changed = new Wakeup();
  // Upload chunks and stored 案号 chunks sent that the thread has not read yet.
  const inputCredits = new Credits(INPUT_CREDITS);
  const keyCredits = new Credits(INPUT_CREDITS);
  const failed = () => failure !== undefined;
  const fail = (error: unknown) => {
    failure ??= { error };
    changed.wake();
    inputCredits.wake();
    keyCredits.wake();
  };

  const onMessage = (m: FromThread) => {
    if (m.kind === 'chunk') chunks.push(m);
    else if (m.kind === 'consumed') inputCredits.give();
    else if (m.kind === 'keys-consumed') keyCredits.give();
    else if (m.kind === 'done') {
      result = m.result;
      ended = true;
    } else {
      ended = true;
      fail(m.problems ? new ValidationError(m.problems) : Object.assign(new Error(m.message), { stack: m.stack }));
    }
    changed.wake();
  };
  const onExit = (code: number) => {
    if (!result) fail(new Error(`the case-row thread stopped (exit code ${code}) before it finished`));
  };
  worker.on('message', onMessage).on('error', fail).on('exit', onExit);

  // The upload into the thread, a few chunks ahead of its reading.
  void (async () => {
    try {
      for await (const chunk of input) {
        await inputCredits.take(failed);
        if (failure) return;
        const bytes = ownBlock(chunk as Buffer);
        worker.postMessage({ kind: 'input', bytes } satisfies ToThread, [bytes.buffer]);
      }
      worker.postMessage({ kind: 'input-end' } satisfies ToThread);
    } catch (error) {
      fail(error);
    }
  })();

  return {
    async addStoredKeys(source) {
      for await (const chunk of source) {
        // After a failure the keys are read to the end unpaced (the thread drops them); the importer learns of it from chunks().
        await keyCredits.take(failed);
        const bytes = ownBlock(chunk);
        worker.postMessage({ kind: 'keys', bytes } satisfies ToThread, [bytes.buffer]);
      }
      worker.postMessage({ kind: 'keys-end' } satisfies ToThread);
    },
    async *chunks(onProgress) {
      for (;;) {
        if (failure) throw failure.error;
        const next = chunks.shift();
        if (next) {
          worker.postMessage({ kind: 'taken' } satisfies ToThread);
          onProgress?.(next.rowsRead);
          yield next.chunk;
        } else if (result) return;
        else await changed.wait();
      }
    },
    async result() {
      while (!result && !failure) await changed.wait();
      if (failure) throw failure.error;
      return result!;
    },
    /**
     * A thread whose job ended (the file read or refused) is kept for the next; one stopped midway
     * (an upload cut off, a failed COPY) is ended. Messages of the old job still on their way are
     * ignored on both sides.
     */
    async stop() {
      worker.off('message', onMessage).off('error', fail).off('exit', onExit);
      if (!(ended && keepThread(worker))) await worker.terminate();
    },
  };
}
