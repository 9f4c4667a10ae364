import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/**
 * A real SMTP server on loopback that keeps what it receives: the mail catcher of development
 * and tests (never production). Tests count and parse what arrived.
 */
export interface MailCatcher {
  port: number;
  received(): ParsedMail[];
  stop(): Promise<void>;
}

/** `maxBytes` makes it refuse larger messages (552), as a relay with a size limit does. */
export async function startMailCatcher(port: number, o: { refuse?: () => boolean; maxBytes?: number } = {}): Promise<MailCatcher> {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: o.maxBytes,
    onData(stream, _session, callback) {
      if (o.refuse?.()) {
        stream.resume();
        stream.on('end', () => callback(new Error('451 catcher told to refuse')));
        return;
      }
      if (o.maxBytes) {
        // smtp-server measures the size and flags it; the message is read to the end, then refused.
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (stream.sizeExceeded) return callback(Object.assign(new Error(`552 message exceeds the ${o.maxBytes} byte limit`), { responseCode: 552 }));
          simpleParser(Buffer.concat(chunks))
            .then((mail) => {
              received.push(mail);
              callback();
            })
            .catch((error: Error) => callback(error));
        });
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    received: () => received,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
