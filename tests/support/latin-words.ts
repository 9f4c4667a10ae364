import type { Page } from 'playwright-core';

/**
 * Latin words a clerk may read (issue 21 point 8): indicator codes (B2), file types and encodings,
 * the engine's product names the links name. Everything else in Latin letters on a screen is
 * English wording that should be Chinese.
 */
const ALLOWED = new Set(['PDF', 'Word', 'Excel', 'XLSX', 'CSV', 'DOCX', 'JSON', 'UTF', 'GBK', 'GB', 'Tasklist', 'Cockpit', 'Operaton', 'BPMN', 'bpmn', 'ID']);
const isAllowed = (word: string) => ALLOWED.has(word) || /^[A-F]\d{1,2}$/.test(word);

/**
 * The Latin words of the page's visible text outside the allowlist. What <code> elements hold
 * (configuration keys, commands), record ids (UUIDs) and the `data` strings the caller names (login
 * names, BPMN ids) are data, not wording, and are taken out first.
 */
export async function latinWordsOn(page: Page, data: Iterable<string> = []): Promise<string[]> {
  // Evaluated as a script: the tests have no DOM types.
  let text = await page.evaluate<string>(
    `(() => { const copy = document.body.cloneNode(true); copy.querySelectorAll('code').forEach((c) => c.remove()); document.body.append(copy); const shown = copy.innerText; copy.remove(); return shown; })()`,
  );
  // Longest first: a name that contains another is taken out whole.
  for (const item of [...data].sort((a, b) => b.length - a.length)) text = text.replaceAll(item, '');
  text = text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '');
  return [...new Set(text.match(/[A-Za-z][A-Za-z_-]*[A-Za-z]/g) ?? [])].filter((w) => !isAllowed(w));
}
