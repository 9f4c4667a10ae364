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

export async function startMailCatcher(port: number, o: { refuse?: () => boolean } = {}): Promise<MailCatcher> {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      if (o.refuse?.()) {
        stream.resume();
        stream.on('end', () => callback(new Error('451 catcher told to refuse')));
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
