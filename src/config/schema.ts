import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { parseHolidayFile } from '../domain/loop/holiday-file.ts';
import { loopSettingsSchema } from '../engine/contract.ts';
import { isLoopbackHost } from '../shared/loopback.ts';
import { ALL_ROLES, type Role } from '../services/actor.ts';

/**
 * Every configuration key of risk-loop: its environment variable, type, default and meaning.
 * `loadConfig()` parses this once in a composition root; nothing else reads `process.env`.
 * The README's configuration table is generated from the `describe()` texts below (scripts/config-doc.ts).
 */
const isoDuration = z
  .string()
  .regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, 'must be an ISO-8601 duration such as P3D or PT12H');

/** An issuing office's contact line as documents print it: "office;contact;work phone". */
const contact = z
  .string()
  .regex(/^[^;]+;[^;]+;[0-9-]+$/, 'must be "office;contact;work phone"')
  .transform((v) => {
    const [office, name, phone] = v.split(';') as [string, string, string];
    return { office, name, phone };
  });

const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a MM-DD date such as 02-10');

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/**
 * The proxies whose X-Forwarded-For and X-Forwarded-Proto the app believes: express's names for address
 * ranges (loopback, linklocal, uniquelocal), addresses or subnets such as 10.0.0.0/8, comma-separated.
 */
const proxyAddresses = z.string().transform((v, ctx) => {
  const entries = v.split(',').map((e) => e.trim());
  for (const entry of entries) {
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    const subnet = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
    if (!['loopback', 'linklocal', 'uniquelocal'].includes(entry) && (family === 0 || !subnet || rest.length > 0)) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is none of loopback, linklocal, uniquelocal, an IP address or a subnet such as 10.0.0.0/8` });
    }
  }
  return entries;
});

/** The SMTP relay: smtp:// (STARTTLS) or smtps:// (TLS from the start) with a host. */
const smtpUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '';
  } catch {
    return false;
  }
}, 'must be an smtp:// or smtps:// URL such as smtp://user:password@mail.example:587');

/** A readable file of PEM certificates (a CA to trust); the path is kept, the file checked at start. */
const pemCertificateFile = z.string().superRefine((path, ctx) => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
    return;
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return ctx.addIssue({ code: 'custom', message: 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)' });
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      ctx.addIssue({ code: 'custom', message: `certificate ${i + 1} of the file is not a valid X.509 certificate` });
    }
  }
});

/**
 * The county's holiday file (YAML or JSON, src/domain/loop/holiday-file.ts): read and checked at
 * start; the configuration keeps its path and the days it lists.
 */
const holidayFile = z.string().transform((path, ctx) => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
    return z.NEVER;
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `is not YAML or JSON: ${(error as Error).message.split('\n')[0]}` });
    return z.NEVER;
  }
  const parsed = parseHolidayFile(value);
  if (!parsed.ok) {
    for (const problem of parsed.problems) ctx.addIssue({ code: 'custom', message: `${path}: ${problem}` });
    return z.NEVER;
  }
  return { file: path, ...parsed.overrides };
});

/** Why a secret may not sign production's sessions or key its personal data, if it may not. */
function productionSecretProblem(value: string | undefined): string | undefined {
  if (!value) return 'must be set in production (a secret generated into the state folder is for development only); generate one with `openssl rand -base64 48`';
  // What people type instead of generating one: a word from an example, or a run of few characters.
  if (/change|default|example|placeholder|secret|password/i.test(value) || new Set(value).size < 10) {
    return 'is a placeholder or default value, not a secret; generate one with `openssl rand -base64 48`';
  }
  return undefined;
}

/** A JSON object overriding some shipped defaults, checked against `shape` at start. */
function jsonOverrides<T extends z.ZodType>(shape: T) {
  return z.string().transform((v, ctx): z.output<T> => {
    let value: unknown;
    try {
      value = JSON.parse(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
      return z.NEVER;
    }
    const parsed = shape.safeParse(value);
    if (!parsed.success) {
      for (const i of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `${i.path.join('.') || '(object)'}: ${i.message}` });
      return z.NEVER;
    }
    return parsed.data;
  });
}

const promptLineOverrides = z.strictObject({
  redCardsForInterview: z.number().int().positive().optional(),
  overdueItemsForInterview: z.number().int().positive().optional(),
  townshipPetitionsPerMonth: z.number().int().positive().optional(),
  townshipOpinionsPerMonth: z.number().int().positive().optional(),
});

const scoringCategory = z.strictObject({ points: z.number().positive().optional(), cap: z.number().nonnegative().optional() });
const scoringOverrides = z.strictObject({
  baseScore: z.number().positive().optional(),
  coUnitFactor: z.number().min(0).max(1).optional(),
  categories: z
    .strictObject({
      late_report: scoringCategory.optional(),
      returned: scoringCategory.optional(),
      overdue_after_urge: scoringCategory.optional(),
      interview: scoringCategory.optional(),
      listing_not_removed: scoringCategory.optional(),
      indicator_still_high: scoringCategory.optional(),
      indicator_improved: scoringCategory.optional(),
    })
    .optional(),
});

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development').describe('Run mode; production turns on secure cookies and hides the mail catcher.'),
  STATE_DIR: z.string().default('.state').describe('Folder for embedded PostgreSQL, the engine log and generated files.'),
  CACHE_DIR: z.string().default('.cache').describe('Folder for builds kept across resets (the engine application jar).'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),

  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('Port of the web app and HTTP API.'),
  HTTP_HOST: z.string().default('127.0.0.1').describe('Interface the web app listens on.'),
  HTTP_BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(256 * 1024).describe('Largest JSON body accepted; larger bodies get 413.'),
  ATTACHMENT_LIMIT_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024).describe('Largest task attachment (PDF, Word, Excel, JPEG or PNG); larger ones get 413.'),
  UPLOAD_LIMIT_BYTES: z.coerce.number().int().positive().default(200 * 1024 * 1024).describe('Largest upload (case files, attachments); larger uploads get 413 while streaming.'),
  // A generated 1 M-row case export is 150 MB as XLSX and inflates to 1.17 GB (its sheet 1.11 GB, ratio 7.8:1):
  // an Excel sheet's maximum of 1,048,576 rows fits the part limit with room for wider exports.
  XLSX_INFLATE_LIMIT_BYTES: z.coerce.number().int().positive().default(4 * 1024 ** 3).describe('Largest size an uploaded XLSX may inflate to, all its parts together; a larger one is refused before or while inflating.'),
  // At most 4 GiB − 1: the inflated parts reach the XLSX reader as stored zip entries with 32-bit sizes.
  XLSX_ENTRY_LIMIT_BYTES: z.coerce.number().int().positive().max(2 ** 32 - 1).default(2 * 1024 ** 3).describe('Largest size one part of an uploaded XLSX (a sheet, the shared strings) may inflate to; a larger one is refused before or while inflating.'),
  XLSX_RATIO_LIMIT: z.coerce.number().positive().default(100).describe('Highest compression ratio (inflated ÷ compressed) of an XLSX part over 1 MiB and of all parts together; real exports are near 8:1, a zip bomb beyond 1000:1.'),
  SESSION_SECRET: z.string().min(32).optional().describe('Secret that signs session cookies; generated into the state folder when unset (not in production, which refuses to start without one).'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(30).describe('Idle timeout of a login session.'),
  MFA_ROLES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const roles = v.split(',').map((r) => r.trim()).filter(Boolean);
      const unknown = roles.filter((r) => !(ALL_ROLES as readonly string[]).includes(r));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `${unknown.map((r) => `"${r}"`).join(', ')} is none of ${ALL_ROLES.join(', ')}` });
      return roles as Role[];
    })
    .describe('Roles whose users log in with a second factor, a 6-digit code from an authenticator app (TOTP), comma-separated; default admin,leader in production and none elsewhere. A user who has set one up is asked for it whatever its roles; production refuses a list without admin.'),
  LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10).describe('Failed logins allowed per account and IP per 15 minutes.'),
  TRUST_PROXY: proxyAddresses
    .optional()
    .describe('Addresses of the HTTPS reverse proxy in front of the app (loopback, uniquelocal, an address or a subnet, comma-separated), whose X-Forwarded-Proto and X-Forwarded-For the app believes; required in production, where the session cookie is Secure.'),

  DATABASE_URL: z.string().url().optional().describe('PostgreSQL URL; when unset an embedded PostgreSQL runs in STATE_DIR/pg.'),
  DATABASE_APP_PASSWORD: z.string().min(16).optional().describe('Password of the login role the app\'s pool connects as (`<database>_app`: data only, the audit log insert-only); migrations and grants run as DATABASE_URL\'s owner. Generated into the state folder when unset; api.ts and workers.ts need it set.'),
  EMBEDDED_PG_PORT: z.coerce.number().int().positive().default(54320).describe('Port of the embedded PostgreSQL.'),

  ENGINE_MANAGED: bool.default(true).describe('Build and start the local Operaton engine as a child process unless one answers at ENGINE_REST_ADDRESS.'),
  ENGINE_REST_ADDRESS: z.string().url().default('http://127.0.0.1:8080').describe('Address of the Operaton engine application (REST under /engine-rest, Tasklist and Cockpit under /operaton).'),
  ENGINE_CLOCK_CONTROLLED: bool.default(false).describe('Let tests and the dry run move the engine clock (never in production).'),
  ENGINE_ADMIN_PASSWORD: z.string().min(8).optional().describe('Password of the engine\'s admin user (Cockpit, Admin); generated into the state folder when unset.'),
  ENGINE_NODES: z.coerce.number().int().min(1).max(4).default(1).describe('Engine nodes npm start runs on one database (ports from ENGINE_REST_ADDRESS\'s up); app and workers spread their calls over them.'),
  APP_PUBLIC_URL: z.string().url().optional().describe('Address at which users\' browsers reach this app (the HTTPS proxy in production): the Camunda Forms in the engine\'s Tasklist link the report or notice they are about to it. http://localhost:HTTP_PORT when unset.'),
  ENGINE_PUBLIC_URL: z.string().url().optional().describe('Address at which users\' browsers reach the engine\'s Tasklist and Cockpit (a reverse proxy in production); ENGINE_REST_ADDRESS when unset.'),
  ENGINE_SERVICE_PASSWORD: z.string().min(8).optional().describe('Password of the app\'s account on the engine\'s REST API (risk-loop-service); generated into the state folder when unset.'),
  JAVA_HOME: z.string().optional().describe('Java 17+ JDK that builds and runs the engine; searched under /usr/lib/jvm when unset.'),

  SMTP_URL: smtpUrl.optional().describe('SMTP server for outgoing mail, smtp://user:password@host:587 (STARTTLS) or smtps://…:465 (TLS from the start); when unset a local mail catcher is started (not in production, which refuses to start without one).'),
  SMTP_REQUIRE_TLS: bool
    .optional()
    .describe('Send mail only encrypted: the server must offer STARTTLS (smtp://) or speak TLS (smtps://), else nothing is sent, never in plain text. Default true, except for a server on loopback (the development mail catcher); production refuses false for any other server. The server\'s certificate is verified either way.'),
  SMTP_CA_FILE: pemCertificateFile
    .optional()
    .describe('PEM file of the certificate authority that signed the SMTP server\'s certificate (a county\'s own CA), trusted besides the system\'s; a certificate neither trusts is refused.'),
  MAIL_CATCHER_PORT: z.coerce.number().int().positive().default(2525).describe('Port of the local mail catcher.'),
  MAIL_FROM: z.string().default('唐河县平安办 <pingan@tanghe.gov.example>').describe('Sender of every notice.'),

  COURT_CONTACT: contact.prefault('唐河县人民法院审判管理办公室;审管办;0377-68921234').describe('Contact line of the court\'s documents (risk notices, reports): "office;contact;work phone".'),
  PEACE_OFFICE_CONTACT: contact.prefault('唐河县平安建设领导小组办公室督查科;督查科;0377-68923456').describe('Contact line of the Peace-Building Office\'s documents (supervision, 催办, bulletins): "office;contact;work phone".'),

  PERSONAL_DATA_HMAC_KEY: z.string().min(16).optional().describe('Key of the HMAC that turns defendant identities into defendant_key; generated into the state folder when unset (not in production, which refuses to start without one). Never stored in the database.'),

  NOTICE_FEEDBACK_WORKING_DAYS: z.coerce.number().int().positive().default(15).describe('Working days a department has to answer a risk notice.'),
  REMINDER_LEAD: isoDuration.default('P3D').describe('How long before a deadline the reminder fires (yellow light).'),
  ESCALATION_AFTER_DUE: isoDuration.default('P1D').describe('How long after a deadline 催办 is sent (red light).'),
  LOOP_CALENDAR_ENABLED: bool.default(true).describe('Run the loop-calendar process that starts rounds, joint meetings and bulletins on the dates below.'),
  ANNUAL_ROUND_DATE: monthDay.default('02-10').describe('MM-DD on which the annual assessment round of the previous year starts (next working day if not one).'),
  HALF_YEAR_ROUND_DATE: monthDay.default('07-10').describe('MM-DD on which the half-year round (January–June) starts.'),
  JOINT_MEETING_DATES: z
    .string()
    .regex(/^\d{2}-\d{2},\d{2}-\d{2}$/, 'must be two MM-DD dates separated by a comma')
    .default('01-20,07-20')
    .describe('MM-DD of the two joint meetings of a year (first half, second half).'),
  BULLETIN_DAY_OF_MONTH: z.coerce.number().int().min(1).max(28).default(5).describe('Day of the month on which the bulletin of the previous month is compiled.'),
  LOOP_SETTINGS: jsonOverrides(loopSettingsSchema.partial().strict())
    .optional()
    .describe('JSON object overriding the loop\'s working-day counts and cycles (escalation ladder, review and signing deadlines), e.g. {"yellowCardAfterUrgeWorkingDays":3}; keys and defaults in src/engine/contract.ts loopSettingsSchema.'),
  SCORING_RULES: jsonOverrides(scoringOverrides)
    .optional()
    .describe('JSON object overriding the annual scoring (DOMAIN.md §4.6), e.g. {"coUnitFactor":0.5,"categories":{"interview":{"points":3}}}; defaults in src/domain/loop/scoring.ts.'),
  ESCALATION_PROMPT_LINES: jsonOverrides(promptLineOverrides)
    .optional()
    .describe('JSON object overriding the lines past which the office is prompted to propose 约谈/挂牌 (第十五条), e.g. {"townshipPetitionsPerMonth":15}; keys and defaults in src/domain/loop/escalation-orders.ts.'),
  HOLIDAYS_FILE: holidayFile
    .optional()
    .describe('YAML or JSON file of public holidays and make-up workdays (lists "holidays" and "workdays" of YYYY-MM-DD dates or YYYY-MM-DD..YYYY-MM-DD ranges) for years the shipped calendar does not know yet, or corrections of it; every working-day deadline counts them. Example: docs/holidays.example.yaml.'),
  SCHEDULED_START_TIME: z.string().regex(/^\d{2}:\d{2}$/, 'must be HH:mm').default('09:00').describe('Local time at which scheduled rounds, meetings and bulletins start.'),

  DEMO_SEED: bool.default(true).describe('Seed departments, demo users and demo case data on first start; production refuses to start with it on.'),
  DEMO_LIVE: bool.default(true).describe('With DEMO_SEED, the first start runs the county\'s year up to today on a throw-away engine with a moved clock (under a minute on a 2-core machine, once), so the demo shows a county at work; false loads the case data only.'),
}).superRefine((c, ctx) => {
  if (c.NODE_ENV !== 'production') return;
  const refuse = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
  // A moved engine clock fires every timer of the county at once: only tests and the dry run may have it.
  if (c.ENGINE_CLOCK_CONTROLLED) refuse('ENGINE_CLOCK_CONTROLLED', 'must be false in production');
  // Demo users share one password and the demo cases are made up: neither belongs in a county's data.
  if (c.DEMO_SEED) refuse('DEMO_SEED', 'must be false in production (demo users and made-up cases)');
  if (!c.SMTP_URL) refuse('SMTP_URL', 'must be set in production (without it the development mail catcher keeps every notice on this machine)');
  // Notices and the relay's password would cross the network readable by anyone on the way.
  else if (c.SMTP_REQUIRE_TLS === false && URL.parse(c.SMTP_URL)?.protocol === 'smtp:' && !isLoopbackHost(URL.parse(c.SMTP_URL)?.hostname ?? '')) {
    refuse('SMTP_REQUIRE_TLS', 'must not be false in production for an SMTP server off this machine (mail and the relay password would travel in plain text)');
  }
  if (c.MFA_ROLES && !c.MFA_ROLES.includes('admin')) refuse('MFA_ROLES', 'must include admin in production (administrators log in with a second factor, ASVS 6.3.3)');
  // The app speaks plain HTTP; without a trusted proxy saying the browser used HTTPS, no Secure session cookie is ever set.
  if (!c.TRUST_PROXY) refuse('TRUST_PROXY', 'must be set in production to the HTTPS reverse proxy in front of the app');
  for (const key of ['SESSION_SECRET', 'PERSONAL_DATA_HMAC_KEY'] as const) {
    const problem = productionSecretProblem(c[key]);
    if (problem) refuse(key, problem);
  }
});

export type Config = z.infer<typeof configSchema>;

/** A page of this app as a link from outside it (the engine's Tasklist): `#/documents/…` under APP_PUBLIC_URL. */
export const appLink = (c: Config, hashPath: string): string => `${(c.APP_PUBLIC_URL ?? `http://localhost:${c.HTTP_PORT}`).replace(/\/$/, '')}/#${hashPath}`;

/** The roles that log in with a second factor: MFA_ROLES, else administrators and leaders in production only. */
export const mfaRoles = (c: Config): readonly Role[] => c.MFA_ROLES ?? (c.NODE_ENV === 'production' ? ['admin', 'leader'] : []);
