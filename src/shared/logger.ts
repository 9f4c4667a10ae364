import { pino, type Logger } from 'pino';

export type { Logger };

/** One structured logger for the app, the workers and the Camunda SDK. */
export function createLogger(level: string, name = 'risk-loop'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['password', '*.password', 'req.headers.cookie', 'req.headers.authorization', '*.secret', 'SESSION_SECRET', 'PERSONAL_DATA_HMAC_KEY'],
      censor: '[redacted]',
    },
  });
}
