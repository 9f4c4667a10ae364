import type { AddressObject, ParsedMail } from 'mailparser';
import type { Config } from '../config/schema.ts';
import { NotFoundError } from '../shared/errors.ts';

/**
 * What the local mail catcher received, for admins in development (issue: mail and inbox): the
 * notices a demo sends can be read without a mail client. Production sends through SMTP_URL and
 * has no catcher, so this answers "not found" there.
 */
export interface CaughtMail {
  index: number;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  date: string | null;
  messageId: string | null;
  text: string;
  attachments: { filename: string; contentType: string; size: number }[];
}

const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? v.name));

export function createDevMailbox(deps: { config: Config }) {
  let received: (() => ParsedMail[]) | null = null;

  return {
    /** Called once the catcher runs (src/main/bootstrap.ts startMail). */
    attach(source: () => ParsedMail[]): void {
      received = source;
    },

    /** Newest first. */
    list(): CaughtMail[] {
      if (deps.config.NODE_ENV !== 'development' || !received) throw new NotFoundError('开发邮箱未启用：仅在开发模式下使用本地邮件捕获器时可用');
      return received()
        .map((m, index) => ({
          index,
          from: addresses(m.from).join(', '),
          to: addresses(m.to),
          cc: addresses(m.cc),
          subject: m.subject ?? '',
          date: m.date?.toISOString() ?? null,
          messageId: m.messageId ?? null,
          text: m.text ?? '',
          attachments: m.attachments.map((a) => ({ filename: a.filename ?? '附件', contentType: a.contentType, size: a.size })),
        }))
        .reverse();
    },
  };
}

export type DevMailbox = ReturnType<typeof createDevMailbox>;
