/**
 * A refused cell as an error message may show it. Messages travel further than the data (the
 * uploader's screen, the terminal, logs, support mail), so they must not carry what the import
 * keeps out of storage: anything that looks like an ID, phone or account number, and the row's
 * own personal cells (a party's name shifted into another column is the usual way one shows up).
 */

export const MASK = '［已脱敏］';

/**
 * Seven digits in a row or more (ID cards, mobile numbers, bank accounts; a landline with its area
 * code), and mobile numbers written in groups; dates and amounts keep their shape.
 */
const PERSONAL_NUMBER = /(?:0\d{2,3}[\s-]?)?\d{7,}[Xx]?|1[3-9]\d[\s-]\d{4}[\s-]\d{4}/g;

/** Longest excerpt of a cell a message shows; the clerk finds the rest by line and column. */
const SHOWN_CHARS = 30;

/**
 * `value` with long numbers and every personal cell of its row (`personal`: names, ID numbers,
 * phones as the file wrote them) masked, cut to a short excerpt.
 */
export function shownInMessage(value: string, personal: readonly string[] = []): string {
  let text = value;
  for (const p of personal) if (p.length >= 2) text = text.split(p).join(MASK);
  text = text.replace(PERSONAL_NUMBER, MASK);
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}
