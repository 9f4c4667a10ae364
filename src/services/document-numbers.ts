import { formatDocumentNumber, type NumberSeries } from '../domain/documents/document-number.ts';
import { ValidationError } from '../shared/errors.ts';
import type { Queryable } from './audit.ts';

/**
 * Gap-free 文号 allocation per (机关代字, year). Call it inside the transaction that writes the
 * document or the record it numbers (`ds.transaction(m => allocateDocumentNumber(m, …))`):
 *
 * 1. a number already registered for `businessKey` is returned as is (a redelivered job or a
 *    retried request gets the same 文号) without touching the counter;
 * 2. otherwise `INSERT … ON CONFLICT DO UPDATE` on `document_number_counter` creates the counter
 *    row if needed and takes its row lock, so concurrent allocations for the same prefix and year
 *    queue up behind each other until the holder commits or rolls back; the key is looked up
 *    again under the lock (a concurrent first allocation may just have committed);
 * 3. otherwise the counter is incremented and the number is registered in `document_number`.
 *
 * A rollback undoes the increment together with the caller's writes, so no number is lost (no
 * gaps) and none is handed out twice (the primary keys make a duplicate impossible). Outside a
 * transaction each statement commits on its own: numbers stay unique, but a failure between the
 * allocation and the caller's write would leave a registered number without its document.
 */

export interface AllocatedNumber {
  prefix: string;
  year: number;
  serial: number;
  /** Formatted 文号, e.g. 唐平督〔2026〕第015号. */
  number: string;
  /** False when the business key already had a number (idempotent replay). */
  fresh: boolean;
}

export async function allocateDocumentNumber(q: Queryable, series: NumberSeries, year: number, businessKey: string): Promise<AllocatedNumber> {
  if (!businessKey) throw new ValidationError([{ field: 'businessKey', reason: '不能为空' }]);
  // Validates prefix and year before touching the database.
  formatDocumentNumber(series, year, 1);
  // A replay (the business already has its number) is answered without the counter's lock, so a
  // step that renders after numbering never queues behind another series' allocation.
  const registered = await registeredNumber(q, series, year, businessKey);
  if (registered) return registered;
  await q.query(
    `INSERT INTO document_number_counter (prefix, year, last_value) VALUES ($1, $2, 0)
     ON CONFLICT (prefix, year) DO UPDATE SET last_value = document_number_counter.last_value`,
    [series.prefix, year],
  );
  // Checked again under the lock: a concurrent first allocation for the same key may just have committed.
  const raced = await registeredNumber(q, series, year, businessKey);
  if (raced) return raced;
  // Wrapped in a CTE: TypeORM returns [rows, count] for a bare UPDATE … RETURNING.
  const rows = await q.query<{ last_value: number }[]>(
    `WITH bumped AS (UPDATE document_number_counter SET last_value = last_value + 1 WHERE prefix = $1 AND year = $2 RETURNING last_value)
     SELECT last_value FROM bumped`,
    [series.prefix, year],
  );
  const serial = rows[0]!.last_value;
  const number = formatDocumentNumber(series, year, serial);
  await q.query(`INSERT INTO document_number (prefix, year, serial, number, business_key) VALUES ($1, $2, $3, $4, $5)`, [series.prefix, year, serial, number, businessKey]);
  return { prefix: series.prefix, year, serial, number, fresh: true };
}

/** The 文号 registered for a business key, or null; refused when it belongs to another series or year. */
export async function registeredNumber(q: Queryable, series: NumberSeries, year: number, businessKey: string): Promise<AllocatedNumber | null> {
  const [found] = await q.query<{ serial: number; number: string; prefix: string; year: number }[]>(
    `SELECT prefix, year, serial, number FROM document_number WHERE business_key = $1`,
    [businessKey],
  );
  if (!found) return null;
  if (found.prefix !== series.prefix || found.year !== year) {
    throw new ValidationError([{ field: 'businessKey', reason: `该业务已编号为${found.number}，不能再按${series.prefix}〔${year}〕编号` }]);
  }
  return { prefix: found.prefix, year: found.year, serial: found.serial, number: found.number, fresh: false };
}

/** The last serial handed out for a prefix and year (0 when none), e.g. for the register page. */
export async function lastDocumentSerial(q: Queryable, prefix: string, year: number): Promise<number> {
  const rows = await q.query<{ last_value: number }[]>(`SELECT last_value FROM document_number_counter WHERE prefix = $1 AND year = $2`, [prefix, year]);
  return rows[0]?.last_value ?? 0;
}
