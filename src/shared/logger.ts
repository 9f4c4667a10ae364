import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export type LogFormat = 'pretty' | 'json';

/**
 * JSON in production and whenever the output goes to a pipe or a file (log collectors, CI, tests
 * read it); pretty, one readable line per event, when a person watches a terminal in development.
 */
export function logFormat(o: { nodeEnv: string | undefined; isTTY: boolean | undefined }): LogFormat {
  return o.nodeEnv !== 'production' && o.isTTY === true ? 'pretty' : 'json';
}

/**
 * pino-pretty is a development dependency: an install without it (`npm ci --omit=dev`) logs JSON.
 * It writes synchronously in this thread, so a line logged just before an exit is not lost.
 */
function prettyStream(): DestinationStream | undefined {
  try {
    const pretty = createRequire(import.meta.url)('pino-pretty') as (o: Record<string, unknown>) => DestinationStream;
    return pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  } catch {
    return undefined;
  }
}

/** One structured logger for the app, the workers and the scripts. */
export function createLogger(level: string, name = 'risk-loop'): Logger {
  const options = {
    name,
    level,
    redact: {
      paths: ['password', '*.password', 'req.headers.cookie', 'req.headers.authorization', '*.secret', 'SESSION_SECRET', 'PERSONAL_DATA_HMAC_KEY'],
      censor: '[redacted]',
    },
  };
  const stream = logFormat({ nodeEnv: process.env.NODE_ENV, isTTY: process.stdout.isTTY }) === 'pretty' ? prettyStream() : undefined;
  return stream ? pino(options, stream) : pino(options);
}
