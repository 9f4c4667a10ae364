import nodemailer, { type Transporter } from 'nodemailer';

/** SMTP transport from a URL (production relay, or the local catcher in development and tests). */
export function createSmtpTransport(url: string): Transporter {
  const u = new URL(url);
  return nodemailer.createTransport({
    host: u.hostname,
    port: Number(u.port || 25),
    secure: u.protocol === 'smtps:',
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    // The local catcher speaks plain SMTP on loopback; a relay may offer STARTTLS.
    ignoreTLS: u.hostname === '127.0.0.1' || u.hostname === 'localhost',
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}
