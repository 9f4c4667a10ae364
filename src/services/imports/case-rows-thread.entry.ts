import { Readable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { BloomFilter } from 'bloomfilter';
import { CauseCatalogue } from '../../domain/cases/cause-catalogue.ts';
import { caseColumns } from '../../domain/cases/columns.ts';
import { CoverageTally } from '../../domain/cases/coverage.ts';
import { importTemplate } from '../../domain/cases/import-templates.ts';
import { FileNames, parseRow } from '../../domain/cases/rows.ts';
import { ValidationError } from '../../shared/errors.ts';
import { Credits, Wakeup } from '../../shared/wakeup.ts';
import { defendantKey } from './defendant-key.ts';
import { copyLine, CopyChunkBuffer, COPY_CHUNK_BYTES, unescapeCopyText, type CopyTarget } from './case-copy-lines.ts';
import { OUTPUT_CREDITS, type FromThread, type RowThreadData, type ToThread } from './case-rows-thread.ts';
import { readUpload } from './records.ts';

/**
 * The case-row thread (started by case-rows-thread.ts): reads the upload it is sent, checks and
 * masks each row (src/domain/cases/rows.ts), and sends back COPY chunks for case_record (a 案号 the
 * Bloom filter of stored and seen 案号 has never met: new for certain) or for the staging table
 * (everything else, merged in SQL). Personal data never leaves this thread unmasked.
 */

const port = parentPort!;

/**
 * The Bloom filter of 案号 (7 hash functions; its size comes from the importer): with 8 MiB under
 * 0.3 % false positives at 5 M keys (stored plus the file's), 6 % at 10 M; a false positive only
 * costs the staging path.
 */
const KEY_FILTER_HASHES = 7;

/** Messages of one kind in arrival order; `null` ends them. */
class Inbox {
  private readonly queue: (Uint8Array | null)[] = [];
  private readonly arrived = new Wakeup();

  push(bytes: Uint8Array | null): void {
    this.queue.push(bytes);
    this.arrived.wake();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      const next = this.queue.shift();
      if (next === null) return;
      if (next) yield next;
      else await this.arrived.wait();
    }
  }
}

/** The file being read: its settings, the messages it has been sent, the COPY credits it holds. */
interface Job {
  data: RowThreadData;
  keys: Inbox;
  input: Inbox;
  credits: Credits;
}

let job: Job | undefined;
port.on('message', (m: ToThread) => {
  if (m.kind === 'start') {
    job = { data: m.data, keys: new Inbox(), input: new Inbox(), credits: new Credits(OUTPUT_CREDITS) };
    const ran = job;
    void run(ran)
      .catch((error: unknown) => {
        const e = error instanceof Error ? error : new Error(String(error));
        send({ kind: 'failed', problems: error instanceof ValidationError ? error.problems : undefined, message: e.message, stack: e.stack });
      })
      .finally(() => {
        if (job === ran) job = undefined;
      });
    return;
  }
  // Messages for a job that has ended (its upload kept coming while it failed) are dropped.
  if (!job) return;
  if (m.kind === 'keys') job.keys.push(m.bytes);
  else if (m.kind === 'keys-end') job.keys.push(null);
  else if (m.kind === 'input') job.input.push(m.bytes);
  else if (m.kind === 'input-end') job.input.push(null);
  else job.credits.give();
});

const send = (m: FromThread, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

/** Every stored 案号, exactly as stored, into the filter: COPY TO's lines, never held as a list. */
async function addStoredKeys(keys: Inbox, filter: BloomFilter): Promise<void> {
  const utf8 = new TextDecoder();
  let rest = '';
  for await (const chunk of keys) {
    send({ kind: 'keys-consumed' });
    const lines = (rest + utf8.decode(chunk, { stream: true })).split('\n');
    rest = lines.pop()!;
    for (const line of lines) filter.add(unescapeCopyText(line));
  }
}

async function run(current: Job): Promise<void> {
  const { data, keys, input } = current;
  const known = data.keyFilterBits > 0 ? new BloomFilter(data.keyFilterBits, KEY_FILTER_HASHES) : null;
  if (known) await addStoredKeys(keys, known);
  const upload = readUpload(
    Readable.from(
      (async function* () {
        for await (const bytes of input) {
          send({ kind: 'consumed' });
          yield Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        }
      })(),
    ),
    data.read,
  );
  const { summary, reject } = upload;
  const context = {
    identityKey: (name: string, idNumber: string) => defendantKey(data.hmacKey, name, idNumber),
    today: data.today,
    fileNames: new FileNames(),
    causes: new CauseCatalogue(data.causes),
  };
  // What the file covers (filing dates, rows per township), recorded with it: coverage.ts.
  const coverage = new CoverageTally();
  const pending: Record<CopyTarget, CopyChunkBuffer> = { case_record: new CopyChunkBuffer(), case_staging: new CopyChunkBuffer() };
  let staged = 0;
  let direct = 0;
  const flush = async (target: CopyTarget) => {
    await current.credits.take();
    const bytes = pending[target].take();
    send({ kind: 'chunk', chunk: { target, bytes }, rowsRead: summary.rowsRead }, [bytes.buffer as ArrayBuffer]);
  };
  for await (const batch of upload.rows(caseColumns, '案件数据', importTemplate('cases').label)) {
    for (const { cells, line, plan } of batch) {
      const parsed = parseRow(cells, line, plan, context);
      if ('problems' in parsed) {
        reject(parsed.problems);
        continue;
      }
      summary.maskedCells += parsed.masked;
      coverage.add(parsed.row.township as string, parsed.row.filing_date as string);
      // Valid rows still go on after a bad one (for the duplicate check); it is all rolled back.
      const caseNo = parsed.row.case_no as string;
      let target: CopyTarget;
      if (!known || known.test(caseNo)) {
        target = 'case_staging';
        staged += 1;
        pending.case_staging.append(copyLine(parsed.row, String(line)));
      } else {
        known.add(caseNo);
        target = 'case_record';
        direct += 1;
        pending.case_record.append(copyLine(parsed.row, `${data.fileId}\t${line}`));
      }
      if (pending[target].length >= COPY_CHUNK_BYTES) await flush(target);
    }
  }
  for (const target of ['case_record', 'case_staging'] as const) if (pending[target].length) await flush(target);
  upload.finish();
  // Once the file has given every name: the free text stored before a later row named a party is
  // revised, and a refused file's messages name no party of any row (rule 9).
  const revisions = summary.rejected === 0 ? context.fileNames.revisions() : [];
  for (const problem of summary.problems) problem.reason = context.fileNames.mask(problem.reason).text;
  send({ kind: 'done', result: { summary, coverage: { first: coverage.first, last: coverage.last, rows: coverage.rows }, staged, direct, revisions } });
}
