import { buildUrgeNotice } from '../../src/domain/documents/urge-notice.ts';
import { renderDocument } from '../../src/documents/index.ts';
import { systemActor } from '../../src/services/actor.ts';
import type { Queryable } from '../../src/services/audit.ts';
import { storeDocument } from '../../src/services/document-store.ts';
import { urgeNoticeInput } from '../fixtures/documents.ts';
import { uniqueSuffix } from './database.ts';

/** Stores a real, rendered 催办通知书 addressed to one unit, unique per call (documents are content-addressed). */
export async function storeUrgeNoticeFor(q: Queryable, unit: { id: string; name: string }): Promise<string> {
  const base = urgeNoticeInput();
  const doc = buildUrgeNotice({ ...base, item: { ...base.item, lead: unit, title: `${base.item.title}（${uniqueSuffix()}）` } });
  return (await storeDocument(q, systemActor, doc, await renderDocument(doc))).id;
}
