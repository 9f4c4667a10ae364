import type { DataSource } from 'typeorm';
import { NotFoundError } from '../shared/errors.ts';
import { seesCounty, type Actor } from './actor.ts';
import { writeAudit } from './audit.ts';
import { loadDocumentFile, type DocumentFile } from './document-store.ts';

/**
 * The in-app document inbox: every generated document lands with the units it is addressed to
 * (主送 and 抄送). A department sees only its own documents and public ones; the office, the
 * court, leaders and auditors see all. Opening a document or downloading its file records a read
 * receipt (who, first when), which the issuing side sees next to the document.
 */

export interface DocumentSummary {
  id: string;
  kind: string;
  number: string | null;
  title: string;
  issuedOn: string;
  audience: 'internal' | 'public';
  recipients: string[];
  cc: string[];
  /** When I first opened it; null while unread. */
  readAt: string | null;
}

export interface DocumentDetail extends DocumentSummary {
  text: string;
  docxSha256: string;
  pdfSha256: string;
  /** Receipts of the addressed units: shown to the issuing side, not to the departments. */
  receipts: { departmentId: string | null; reader: string; firstReadAt: string }[] | null;
}

type Row = {
  id: string;
  kind: string;
  number: string | null;
  title: string;
  issued_on: string;
  audience: 'internal' | 'public';
  recipients: string[];
  cc: string[];
  read_at: Date | null;
};

const summary = (r: Row): DocumentSummary => ({
  id: r.id,
  kind: r.kind,
  number: r.number,
  title: r.title,
  issuedOn: r.issued_on,
  audience: r.audience,
  recipients: r.recipients,
  cc: r.cc,
  readAt: r.read_at?.toISOString() ?? null,
});

/** SQL predicate of what `actor` may see ($1 = all, $2 = department). */
const visible = `($1 OR d.audience = 'public' OR $2 = ANY(d.recipients) OR $2 = ANY(d.cc))`;

export function createDocumentInbox(db: DataSource) {
  const params = (actor: Actor) => [seesCounty(actor), actor.departmentId ?? ''];

  async function markRead(actor: Actor, documentId: string): Promise<void> {
    if (!actor.id) return;
    await db.query(`INSERT INTO document_read (document_id, user_id, department_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      documentId,
      actor.id,
      actor.departmentId,
    ]);
  }

  async function findVisible(actor: Actor, id: string): Promise<Row & { text_body: string; docx_sha256: string; pdf_sha256: string }> {
    const rows = await db.query(
      `SELECT d.id, d.kind, d.number, d.title, to_char(d.issued_on, 'YYYY-MM-DD') AS issued_on, d.audience, d.recipients, d.cc,
              d.text_body, d.docx_sha256, d.pdf_sha256, r.first_read_at AS read_at
       FROM document d LEFT JOIN document_read r ON r.document_id = d.id AND r.user_id = $4
       WHERE d.id::text = $3 AND ${visible}`,
      [...params(actor), id, actor.id],
    );
    if (!rows[0]) throw new NotFoundError('文书不存在');
    return rows[0];
  }

  return {
    async list(actor: Actor, page: { limit: number; offset: number; unreadOnly?: boolean }): Promise<{ items: DocumentSummary[]; total: number }> {
      const unread = page.unreadOnly ? 'AND r.first_read_at IS NULL' : '';
      const rows = await db.query<(Row & { total: number })[]>(
        `SELECT d.id, d.kind, d.number, d.title, to_char(d.issued_on, 'YYYY-MM-DD') AS issued_on, d.audience, d.recipients, d.cc,
                r.first_read_at AS read_at, count(*) OVER ()::int AS total
         FROM document d LEFT JOIN document_read r ON r.document_id = d.id AND r.user_id = $3
         WHERE ${visible} ${unread}
         ORDER BY d.issued_on DESC, d.created_at DESC LIMIT $4 OFFSET $5`,
        [...params(actor), actor.id, page.limit, page.offset],
      );
      return { items: rows.map(summary), total: rows[0]?.total ?? 0 };
    },

    async get(actor: Actor, id: string): Promise<DocumentDetail> {
      const row = await findVisible(actor, id);
      await markRead(actor, row.id);
      const receipts = seesCounty(actor)
        ? (
            await db.query<{ department_id: string | null; display_name: string; first_read_at: Date }[]>(
              `SELECT r.department_id, u.display_name, r.first_read_at FROM document_read r JOIN app_user u ON u.id = r.user_id
               WHERE r.document_id = $1 ORDER BY r.first_read_at`,
              [row.id],
            )
          ).map((r) => ({ departmentId: r.department_id, reader: r.display_name, firstReadAt: r.first_read_at.toISOString() }))
        : null;
      return { ...summary(row), readAt: row.read_at?.toISOString() ?? new Date().toISOString(), text: row.text_body, docxSha256: row.docx_sha256, pdfSha256: row.pdf_sha256, receipts };
    },

    async file(actor: Actor, id: string, format: 'docx' | 'pdf'): Promise<DocumentFile> {
      const row = await findVisible(actor, id);
      const file = await loadDocumentFile(db, row.id, format);
      if (!file) throw new NotFoundError('文书不存在');
      await markRead(actor, row.id);
      // A download leaves the system: audited beside the read receipt (第二十条).
      await writeAudit(db, actor, {
        action: 'document.download',
        entityType: 'document',
        entityId: row.id,
        departmentId: actor.departmentId,
        after: { number: row.number, format, bytes: file.data.length },
        sha256: file.sha256,
      });
      return file;
    },
  };
}

export type DocumentInbox = ReturnType<typeof createDocumentInbox>;
