import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/**
 * A real SMTP server on loopback that keeps what it receives: the mail catcher of development
 * and tests (never production). Tests count and parse what arrived.
 */
export interface MailCatcher {
  port: number;
  received(): ParsedMail[];
  /** Each received message with the session it came in: the user it authenticated as, whether it was encrypted. */
  deliveries(): CatcherDelivery[];
  /** Every MAIL FROM the catcher was sent, accepted or not: none means no message was begun. */
  mailFromAttempts(): { from: string; user: string | undefined; secure: boolean }[];
  /** Every AUTH attempt: the user name given and whether it was accepted. */
  authAttempts(): { user: string; accepted: boolean }[];
  stop(): Promise<void>;
}

export interface CatcherDelivery {
  mail: ParsedMail;
  user: string | undefined;
  secure: boolean;
}

export interface MailCatcherOptions {
  refuse?: () => boolean;
  /** Makes it refuse larger messages (552), as a relay with a size limit does. */
  maxBytes?: number;
  /** Offers STARTTLS with this key and certificate chain (PEM) and refuses MAIL FROM and AUTH before it. */
  tls?: { key: string; cert: string };
  /** Requires AUTH PLAIN or LOGIN as this user: a wrong password gets 535, mail without AUTH 530. */
  auth?: { user: string; password: string };
}

export async function startMailCatcher(port: number, o: MailCatcherOptions = {}): Promise<MailCatcher> {
  const deliveries: CatcherDelivery[] = [];
  const mailFrom: { from: string; user: string | undefined; secure: boolean }[] = [];
  const auths: { user: string; accepted: boolean }[] = [];
  const keep = (mail: ParsedMail, session: { user?: string; secure: boolean }) => deliveries.push({ mail, user: session.user, secure: session.secure });
  const server = new SMTPServer({
    authOptional: !o.auth,
    authMethods: ['PLAIN', 'LOGIN'],
    // AUTH only inside TLS when TLS is offered; the plain catcher takes any AUTH (or none).
    allowInsecureAuth: !o.tls,
    disabledCommands: o.tls ? [] : ['STARTTLS'],
    ...(o.tls ? { key: o.tls.key, cert: o.tls.cert } : {}),
    logger: false,
    size: o.maxBytes,
    onAuth(auth, _session, callback) {
      const accepted = !o.auth || (auth.username === o.auth.user && auth.password === o.auth.password);
      auths.push({ user: auth.username ?? '', accepted });
      if (!accepted) return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      callback(null, { user: auth.username });
    },
    onMailFrom(address, session, callback) {
      mailFrom.push({ from: address.address, user: session.user, secure: session.secure });
      if (o.tls && !session.secure) return callback(Object.assign(new Error('Must issue a STARTTLS command first'), { responseCode: 530 }));
      callback();
    },
    onData(stream, session, callback) {
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
              keep(mail, session);
              callback();
            })
            .catch((error: Error) => callback(error));
        });
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          keep(mail, session);
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
    received: () => deliveries.map((d) => d.mail),
    deliveries: () => deliveries,
    mailFromAttempts: () => mailFrom,
    authAttempts: () => auths,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
