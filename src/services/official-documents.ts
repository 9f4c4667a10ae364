import { documentSeries, type SeriesName } from '../domain/documents/document-number.ts';
import type { Organ, Organs } from '../domain/documents/inputs.ts';
import type { Contact, OfficialDocument } from '../domain/documents/model.ts';
import { documentFileName, PDF_MIME } from '../documents/files.ts';
import type { RenderedDocument } from '../documents/index.ts';
import { renderOffThread } from '../documents/render-pool.ts';
import type { Config } from '../config/schema.ts';
import type { Actor } from './actor.ts';
import type { Queryable } from './audit.ts';
import { allocateDocumentNumber, registeredNumber } from './document-numbers.ts';
import { storeDocument } from './document-store.ts';
import { enqueueMail } from './outbox.ts';
import { withFailureContext } from '../shared/failure-reason.ts';

/**
 * The one path from a document model to paper and mail: allocate the 文号, build, render to
 * .docx and PDF, store (content-addressed), and mail the PDF to the units the document itself
 * names (`meta.to`, `meta.cc`, leaders of `meta.ccLeadersOf`). Run it inside the transaction of
 * the business change, so the record, its number, the document and its mails commit together;
 * every step is keyed, so a redelivered job gets the same number, document and no second mail.
 */

const organIds = { court: 'court', partyCommittee: 'xw', government: 'xzf', politicalLegal: 'zfw', peaceOffice: 'pab' } as const;
const shortNames: Record<keyof typeof organIds, string> = {
  court: '县法院',
  partyCommittee: '县委',
  government: '县政府',
  politicalLegal: '县委政法委',
  peaceOffice: '县平安办',
};

/** The county's leading organs as documents print them, from the department table. */
export async function loadOrgans(q: Queryable): Promise<Organs> {
  const rows = await q.query<{ id: string; name: string }[]>(`SELECT id, name FROM department WHERE id = ANY($1)`, [Object.values(organIds)]);
  const organ = (key: keyof typeof organIds): Organ => {
    const row = rows.find((r) => r.id === organIds[key]);
    if (!row) throw new Error(`department ${organIds[key]} is missing: the county seed was not applied`);
    return { id: row.id, name: row.name, short: shortNames[key] };
  };
  return {
    county: '唐河县',
    countyShort: '唐河',
    court: organ('court'),
    partyCommittee: organ('partyCommittee'),
    government: organ('government'),
    politicalLegal: organ('politicalLegal'),
    peaceOffice: organ('peaceOffice'),
  };
}

/** The contact line an issuing office prints (configuration: office, contact, work phone). */
export function issuerContact(config: Config, issuer: 'court' | 'peaceOffice'): Contact {
  return issuer === 'court' ? config.COURT_CONTACT : config.PEACE_OFFICE_CONTACT;
}

export interface IssueRequest {
  /** 文号 series, or none for unnumbered papers (agendas, records). */
  series?: SeriesName;
  year: number;
  /** The business the document belongs to, e.g. `urge:item:<id>:<deadline>`: one number and one mailing per key. */
  businessKey: string;
  build(number: string | undefined): OfficialDocument;
  /** Mail the PDF to the document's recipients; false for papers that are only stored. */
  mail: boolean;
  /** Mail subject; defaults to 【title】. */
  subject?: string;
}

export interface IssuedDocument {
  documentId: string;
  number: string | null;
  doc: OfficialDocument;
}

export async function issueDocument(q: Queryable, actor: Actor, request: IssueRequest): Promise<IssuedDocument> {
  const number = request.series
    ? (await allocateDocumentNumber(q, documentSeries[request.series], request.year, request.businessKey)).number
    : undefined;
  return storeLaidOut(q, actor, request, await layOut(number, request));
}

/** A document built and laid out, not yet stored. */
export interface LaidOutDocument {
  number: string | undefined;
  doc: OfficialDocument;
  rendered: RenderedDocument;
}

async function layOut(number: string | undefined, request: IssueRequest): Promise<LaidOutDocument> {
  // A failure names the paper it was making: the office reads 文书生成失败（…）：<reason> on 故障处理.
  const doc = await withFailureContext('文书生成失败', async () => request.build(number));
  const rendered = await withFailureContext(`文书生成失败（${doc.title}）`, () => renderOffThread(doc));
  return { number, doc, rendered };
}

/**
 * The layout of a document whose 文号 an earlier step registered under the same business key
 * (issue-risk-notice numbers the 风险提示函, deliver-risk-notice lays it out), made before the
 * caller's transaction: layouts wait their turn for the render threads, and a transaction open
 * around that wait would hold a pooled connection the whole time — thirty of a round's notices
 * queued for layout held the connections the round's numbering jobs needed. The caller then stores
 * it with `storeLaidOut` inside its transaction.
 */
export async function layOutNumbered(q: Queryable, request: IssueRequest & { series: SeriesName }): Promise<LaidOutDocument> {
  const registered = await registeredNumber(q, documentSeries[request.series], request.year, request.businessKey);
  if (!registered) throw new Error(`no 文号 is registered for ${request.businessKey}: the step that numbers it has not run`);
  return layOut(registered.number, request);
}

/** Stores a laid-out document and queues its mail (keyed by the request's business key): inside the business change's transaction. */
export async function storeLaidOut(q: Queryable, actor: Actor, request: IssueRequest, { number, doc, rendered }: LaidOutDocument): Promise<IssuedDocument> {
  return withFailureContext(`文书生成失败（${doc.title}）`, async () => {
    const stored = await storeDocument(q, actor, doc, rendered);
    if (request.mail) {
      const { to, cc } = await recipientAddresses(q, doc);
      if (to.length > 0) {
        await enqueueMail(q, {
          dedupKey: `document:${request.businessKey}`,
          to,
          cc,
          subject: request.subject ?? `【${doc.title}】${doc.number ?? ''}`,
          body: rendered.text,
          attachments: [{ filename: documentFileName(doc, 'pdf'), contentType: PDF_MIME, contentBase64: rendered.pdf.toString('base64') }],
        });
      }
    }
    return { documentId: stored.id, number: number ?? null, doc };
  });
}

async function recipientAddresses(q: Queryable, doc: OfficialDocument): Promise<{ to: string[]; cc: string[] }> {
  const ids = [...doc.meta.to, ...doc.meta.cc, ...(doc.meta.ccLeadersOf ?? [])];
  const rows = await q.query<{ id: string; email: string | null; leader_email: string | null }[]>(
    `SELECT id, email, leader_email FROM department WHERE id = ANY($1)`,
    [ids],
  );
  const email = (id: string) => rows.find((r) => r.id === id)?.email ?? null;
  const leader = (id: string) => rows.find((r) => r.id === id)?.leader_email ?? null;
  const present = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => !!x))];
  return {
    to: present(doc.meta.to.map(email)),
    cc: present([...doc.meta.cc.map(email), ...(doc.meta.ccLeadersOf ?? []).map(leader)]),
  };
}
