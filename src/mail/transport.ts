import { readFileSync } from 'node:fs';
import { getCACertificates } from 'node:tls';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config/schema.ts';
import { isLoopbackHost } from '../shared/loopback.ts';

export interface SmtpSecurity {
  /**
   * Send only over an encrypted connection: STARTTLS on smtp:// (refused when the server does not
   * offer it, never a fall-back to plain text), TLS from the first byte on smtps://. Default: true,
   * except for a server on loopback.
   */
  requireTls?: boolean;
  /** PEM certificates of the authorities trusted besides the default ones (the system's and Node's). */
  ca?: string;
}

/**
 * SMTP transport from a URL (production relay, or the local catcher in development and tests).
 * The server's certificate is always verified (against the default authorities and `ca`): one that
 * neither trusts fails the send, whether TLS was required or only offered.
 */
export function createSmtpTransport(url: string, security: SmtpSecurity = {}): Transporter {
  const u = new URL(url);
  const loopback = isLoopbackHost(u.hostname);
  const requireTls = security.requireTls ?? !loopback;
  return nodemailer.createTransport({
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 25)),
    secure: u.protocol === 'smtps:',
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    requireTLS: requireTls,
    // The development catcher speaks plain SMTP on loopback; any other server's STARTTLS is used when offered.
    ignoreTLS: !requireTls && loopback,
    tls: {
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      ...(security.ca ? { ca: [...getCACertificates('default'), security.ca] } : {}),
    },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

/**
 * The transport of the configured relay (`SMTP_URL`, `SMTP_REQUIRE_TLS`, `SMTP_CA_FILE`), or of the
 * local catcher at `catcherPort` when no relay is configured (development).
 */
export function createConfiguredSmtpTransport(config: Pick<Config, 'SMTP_URL' | 'SMTP_REQUIRE_TLS' | 'SMTP_CA_FILE'>, catcherPort?: number): Transporter {
  if (!config.SMTP_URL) {
    if (catcherPort === undefined) throw new Error('SMTP_URL is not set and no mail catcher runs');
    return createSmtpTransport(`smtp://127.0.0.1:${catcherPort}`);
  }
  return createSmtpTransport(config.SMTP_URL, {
    requireTls: config.SMTP_REQUIRE_TLS,
    ca: config.SMTP_CA_FILE ? readFileSync(config.SMTP_CA_FILE, 'utf8') : undefined,
  });
}
