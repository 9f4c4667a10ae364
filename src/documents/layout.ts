import type { OfficialDocument } from '../domain/documents/model.ts';

/**
 * Page geometry of GB/T 9704-2012 shared by both renderers: A4, 天头 37 mm, 订口 28 mm,
 * bottom 35 mm, right 26 mm (版心 156 × 225 mm), body 3号 (16 pt) on a 22-line grid.
 */
export const MM = 72 / 25.4;

export const page = {
  widthMm: 210,
  heightMm: 297,
  topMm: 37,
  bottomMm: 35,
  leftMm: 28,
  rightMm: 26,
} as const;

/** 二号 22 pt (title), 三号 16 pt (body), 四号 14 pt (版记, page numbers), 小四 12 pt, 五号 10.5 pt. */
export const sizes = { title: 22, body: 16, imprint: 14, small: 12, table: 10.5 } as const;

/** 225 mm / 22 lines. */
export const LINE_PITCH_PT = (225 * MM) / 22;

/** Visual width in em of a string: CJK and full-width characters 1, others ½. */
export function emWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2014\u2026\u201c\u201d]/.test(ch) ? 1 : 0.5;
  return w;
}

/** 附件说明 lines: "附件：1. title" then the others aligned under the first title (GB/T 9704 §7.3.6). */
export function annexNoteLines(doc: OfficialDocument): string[] {
  if (doc.annexes.length === 0) return [];
  if (doc.annexes.length === 1) return [`附件：${doc.annexes[0]!.title}`];
  return doc.annexes.map((a, i) => `${i === 0 ? '附件：' : '　　　'}${i + 1}. ${a.title}`);
}

/** The 版记 lines in order: 报, 送, 抄送 (each ending with "。"). */
export function distributionLines(doc: OfficialDocument): string[] {
  const lines: string[] = [];
  if (doc.reportTo?.length) lines.push(`报：${doc.reportTo.join('，')}。`);
  if (doc.sendTo?.length) lines.push(`送：${doc.sendTo.join('，')}。`);
  if (doc.copyTo.length > 0) lines.push(`抄送：${doc.copyTo.join('，')}。`);
  return lines;
}

export function contactLine(doc: OfficialDocument): string | null {
  return doc.contact ? `联系人：${doc.contact.office} ${doc.contact.name}；联系电话：${doc.contact.phone}` : null;
}
