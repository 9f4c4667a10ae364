import { createHash } from 'node:crypto';
import type { Queryable } from './audit.ts';

export interface MailAttachment {
  filename: string;
  contentType: string;
  contentBase64: string;
}

export interface OutgoingMail {
  /** One per document × recipient: the same key is never enqueued (so never sent) twice. */
  dedupKey: string;
  to: string[];
  cc?: string[];
  subject: string;
  body: string;
  attachments?: MailAttachment[];
}

/** Deterministic Message-ID: a resend after a crash between SMTP accept and "mark sent" is recognisable. */
export function messageIdFor(dedupKey: string): string {
  return `<${createHash('sha256').update(dedupKey).digest('hex').slice(0, 32)}@risk-loop>`;
}

/**
 * Puts a mail in the outbox inside the caller's transaction (QUALITY.md §3.3 pattern 2): the
 * business change and its notice commit together or not at all. Returns false for a duplicate.
 */
export async function enqueueMail(q: Queryable, mail: OutgoingMail): Promise<boolean> {
  const rows: unknown[] = await q.query(
    `INSERT INTO outbox (dedup_key, recipients, cc, subject, body, attachments, message_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
    [mail.dedupKey, mail.to, mail.cc ?? [], mail.subject, mail.body, JSON.stringify(mail.attachments ?? []), messageIdFor(mail.dedupKey)],
  );
  return rows.length > 0;
}
