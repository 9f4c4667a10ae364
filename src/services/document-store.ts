import { createHash } from 'node:crypto';
import type { OfficialDocument } from '../domain/documents/model.ts';
import { documentFileName, DOCX_MIME, PDF_MIME } from '../documents/files.ts';
import type { RenderedDocument } from '../documents/index.ts';
import type { Actor } from './actor.ts';
import { writeAudit, type Queryable } from './audit.ts';

/**
 * Stores a generated document, content-addressed: the key is the SHA-256 of the document's
 * canonical content (its model), so storing the same paper twice (a redelivered job) returns the
 * first row. The .docx and PDF bytes are kept with their own SHA-256, which goes to the audit log
 * so a file received by mail can be checked against what was generated. Call it inside the
 * transaction of the business change (with the outbox rows that mail it).
 */

export interface StoredDocument {
  id: string;
  sha256: string;
  docxSha256: string;
  pdfSha256: string;
  /** False when identical content was already stored. */
  created: boolean;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted, so the hash does not depend on property order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The content address of a document model. */
export function contentSha256(doc: OfficialDocument): string {
  return sha256Hex(canonicalJson(doc));
}

export async function storeDocument(q: Queryable, actor: Actor, doc: OfficialDocument, rendered: RenderedDocument): Promise<StoredDocument> {
  const sha256 = contentSha256(doc);
  const docxSha256 = sha256Hex(rendered.docx);
  const pdfSha256 = sha256Hex(rendered.pdf);
  const inserted = await q.query<{ id: string }[]>(
    `INSERT INTO document (kind, number, title, sha256, docx, docx_sha256, pdf, pdf_sha256, text_body, audience, recipients, cc, issued_on, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (sha256) DO NOTHING RETURNING id`,
    [doc.kind, doc.number ?? null, doc.title, sha256, rendered.docx, docxSha256, rendered.pdf, pdfSha256, rendered.text, doc.audience, doc.meta.to, doc.meta.cc, doc.meta.issuedOn, actor.username],
  );
  if (inserted[0]) {
    const id = inserted[0].id;
    await writeAudit(q, actor, {
      action: 'document.generated',
      entityType: 'document',
      entityId: id,
      after: { kind: doc.kind, number: doc.number ?? null, title: doc.title, docxSha256, pdfSha256, recipients: doc.meta.to, cc: doc.meta.cc },
      sha256,
    });
    return { id, sha256, docxSha256, pdfSha256, created: true };
  }
  const existing = await q.query<{ id: string; docx_sha256: string; pdf_sha256: string }[]>(`SELECT id, docx_sha256, pdf_sha256 FROM document WHERE sha256 = $1`, [sha256]);
  const row = existing[0]!;
  return { id: row.id, sha256, docxSha256: row.docx_sha256, pdfSha256: row.pdf_sha256, created: false };
}

export interface DocumentFile {
  fileName: string;
  contentType: string;
  data: Buffer;
  sha256: string;
}

/** One stored file for download or attachment; access control is the caller's (route's) job. */
export async function loadDocumentFile(q: Queryable, id: string, format: 'docx' | 'pdf'): Promise<DocumentFile | null> {
  const rows = await q.query<{ number: string | null; title: string; data: Buffer; sha: string }[]>(
    `SELECT number, title, ${format === 'docx' ? 'docx' : 'pdf'} AS data, ${format === 'docx' ? 'docx_sha256' : 'pdf_sha256'} AS sha FROM document WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    fileName: documentFileName(row, format),
    contentType: format === 'docx' ? DOCX_MIME : PDF_MIME,
    data: row.data,
    sha256: row.sha,
  };
}
