/**
 * What a clerk types into a form, as a document takes it: a textarea of entries (one a line, or
 * separated by ；) becomes a list, and a clause the document closes itself loses the punctuation
 * the clerk may have ended it with (no "……。。").
 */
export const formEntries = (text: string): string[] =>
  text
    .split(/[\n；;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export const clause = (text: string): string => text.trim().replace(/[。；;，,\s]+$/, '');
