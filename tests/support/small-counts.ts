/**
 * The small-cell scan's detector (DOMAIN.md §5 rule 5), written apart from the product's own
 * suppression (src/domain/documents/format.ts) so that a gap in one is not copied into the other:
 * every count under 5 of cases or persons a text shows — a number followed by a counting word
 * ("3件", "2 名", "１起") or after a label that makes it a count ("案件数3", "涉案 2") — with the
 * text around it. Not counts: ordinals (第3件), decimals and rates (1.3件/万人), indicator codes
 * (B2), thresholds of a rule (阈值3件, 少于3件), years, dates, percentages, multiples.
 */

const COUNTED = /(^|[^0-9０-９.．A-Za-z第])([0-9０-９]+)\s*(人次|件次|件|起|名|人|户|宗|例)(?![/／])/g;
const LABELLED = /(案件数|收案数|结案数|件数|人数|涉案|案件量)\s*(?:为|是|达|有|：|:)?\s*([0-9０-９]+)(?![0-9０-９.．%％]|\s*(?:年|月|日|倍|个|%|天))/g;
const THRESHOLD_BEFORE = /(阈值|少于)\s*$/;

const valueOf = (digits: string) => Number(digits.replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10)));

/** Every count under 5 in `text`, each as the snippet around it ("…案件数3件少于…"). */
export function smallCountsIn(text: string): string[] {
  const found: string[] = [];
  const around = (at: number, length: number) => text.slice(Math.max(0, at - 12), at + length + 12);
  for (const m of text.matchAll(COUNTED)) {
    const at = m.index + m[1]!.length;
    if (valueOf(m[2]!) >= 5 || THRESHOLD_BEFORE.test(text.slice(Math.max(0, at - 4), at))) continue;
    found.push(around(at, m[0].length));
  }
  for (const m of text.matchAll(LABELLED)) {
    if (valueOf(m[2]!) >= 5) continue;
    found.push(around(m.index, m[0].length));
  }
  return [...new Set(found)];
}

/** JSON fields whose number is a count of cases or persons (the cockpit's values are checked on their own). */
export const CASE_COUNT_KEYS = new Set(['n', 'cases', 'caseCount', 'basisCount', 'previousBasisCount', 'count_of_cases']);

/**
 * Every small count in a JSON answer: in its strings (at their path), and numbers under 5 under a
 * key that names a count of cases.
 */
export function smallCountsInJson(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') return smallCountsIn(value).map((s) => `${path}: ${s}`);
  if (Array.isArray(value)) return value.flatMap((v, i) => smallCountsInJson(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) =>
      typeof v === 'number' && CASE_COUNT_KEYS.has(key) && v < 5 ? [`${path}.${key}: ${v}`] : smallCountsInJson(v, `${path}.${key}`),
    );
  }
  return [];
}
