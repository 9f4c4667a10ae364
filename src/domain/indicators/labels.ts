/**
 * How people read indicators (issue 21): by name with the code beside it, 民间借贷纠纷（B2）, and
 * in the catalogue's order — domain letter, then number — so that C2 comes before C10, never
 * after it as text order would have it.
 */

const CODE = /^([^\d]*)(\d*)(.*)$/s;

/** Indicator codes in catalogue order: A1 < A2 < … < A10 < B1; codes outside the pattern fall back to text order. */
export function compareIndicatorCodes(a: string, b: string): number {
  const [, letterA = '', numberA = '', restA = ''] = CODE.exec(a)!;
  const [, letterB = '', numberB = '', restB = ''] = CODE.exec(b)!;
  if (letterA !== letterB) return letterA < letterB ? -1 : 1;
  const byNumber = (numberA === '' ? -1 : Number(numberA)) - (numberB === '' ? -1 : Number(numberB));
  if (byNumber !== 0) return byNumber;
  return restA < restB ? -1 : restA > restB ? 1 : 0;
}

/** "民间借贷纠纷（B2）"; the code alone when no definition names it. */
export function indicatorLabel(code: string, names: ReadonlyMap<string, string>): string {
  const name = names.get(code);
  return name ? `${name}（${code}）` : code;
}

/** The labels of some indicators, in catalogue order. */
export function indicatorLabels(codes: readonly string[], names: ReadonlyMap<string, string>): string[] {
  return [...codes].sort(compareIndicatorCodes).map((code) => indicatorLabel(code, names));
}
