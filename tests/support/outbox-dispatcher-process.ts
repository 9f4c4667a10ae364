import { createDataSource } from '../../src/db/data-source.ts';
import { createMailDispatcher } from '../../src/mail/dispatcher.ts';
import { createSmtpTransport } from '../../src/mail/transport.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { testDatabaseAdminUrl } from './ports.ts';

/** The outbox dispatcher as its own OS process, so a fault test can kill -9 it mid-burst. */
const db = createDataSource(testDatabaseAdminUrl(), 2);
await db.initialize();
const dispatcher = createMailDispatcher(db, createSmtpTransport(`smtp://127.0.0.1:${process.env.SMTP_PORT}`), createLogger('silent'), {
  from: 'test@example.gov',
  intervalMs: 50,
});
dispatcher.start();
process.stdout.write('dispatcher ready\n');
