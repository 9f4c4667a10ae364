import type { DataSource } from 'typeorm';
import type { Transporter } from 'nodemailer';
import type { MailAttachment } from '../services/outbox.ts';
import type { Logger } from '../shared/logger.ts';

interface OutboxRow {
  id: string;
  recipients: string[];
  cc: string[];
  subject: string;
  body: string;
  attachments: MailAttachment[];
  attempts: number;
  message_id: string;
}

export interface DispatcherOptions {
  from: string;
  intervalMs?: number;
  maxAttempts?: number;
  batchSize?: number;
}

/** Back-off after a failed send: 30 s, 1 min, 2 min … capped at 1 h. */
export function nextAttemptDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/**
 * Sends outbox rows over SMTP. Each row is claimed with FOR UPDATE SKIP LOCKED and stays locked
 * while it is sent, so two dispatchers (or a restarted one) never send the same row twice; only a
 * crash between the server's accept and our commit can repeat a send, and that repeat carries
 * the same Message-ID.
 */
export function createMailDispatcher(db: DataSource, transport: Transporter, log: Logger, o: DispatcherOptions) {
  const maxAttempts = o.maxAttempts ?? 8;
  const batchSize = o.batchSize ?? 10;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;

  async function sendOne(): Promise<boolean> {
    return db.transaction(async (tx) => {
      const rows: OutboxRow[] = await tx.query(
        `SELECT id, recipients, cc, subject, body, attachments, attempts, message_id FROM outbox
         WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      const row = rows[0];
      if (!row) return false;
      try {
        const info = await transport.sendMail({
          from: o.from,
          to: row.recipients,
          cc: row.cc,
          subject: row.subject,
          text: row.body,
          messageId: row.message_id,
          attachments: row.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.contentBase64, 'base64') })),
        });
        await tx.query(`UPDATE outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1, smtp_response = $2, last_error = NULL WHERE id = $1`, [
          row.id,
          String(info.response ?? ''),
        ]);
        log.info({ outboxId: row.id, messageId: row.message_id }, 'mail sent');
      } catch (error) {
        const attempts = row.attempts + 1;
        const failed = attempts >= maxAttempts;
        await tx.query(
          `UPDATE outbox SET attempts = $2, last_error = $3, status = $4, next_attempt_at = now() + ($5 || ' milliseconds')::interval WHERE id = $1`,
          [row.id, attempts, (error as Error).message.slice(0, 1000), failed ? 'failed' : 'pending', String(nextAttemptDelayMs(attempts))],
        );
        log[failed ? 'error' : 'warn']({ outboxId: row.id, attempts, err: error }, failed ? 'mail failed for good' : 'mail send failed, will retry');
      }
      return true;
    });
  }

  /** Sends what is due now; returns how many rows it handled. */
  async function drain(): Promise<number> {
    let handled = 0;
    while (!stopped && handled < 1000) {
      let any = false;
      for (let i = 0; i < batchSize; i++) {
        if (!(await sendOne())) break;
        any = true;
        handled++;
      }
      if (!any) break;
    }
    return handled;
  }

  return {
    drain,
    start() {
      const tick = () => {
        running = drain()
          .catch((error: unknown) => (log.warn({ err: error }, 'outbox dispatch failed'), 0))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, o.intervalMs ?? 1000);
          });
      };
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export type MailDispatcher = ReturnType<typeof createMailDispatcher>;
