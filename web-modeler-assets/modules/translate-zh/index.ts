import { translations } from './translations.ts';

/**
 * bpmn-js `translate` override (the documented i18n hook of bpmn-js and its properties panel):
 * English template → Chinese, then {placeholders} filled as the original does.
 */
export function translate(template: string, replacements: Record<string, string> = {}): string {
  // The properties panel writes "Timer Boundary Event (Non Interrupting)" for non-interrupting events.
  const nonInterrupting = /^(.+) \(Non Interrupting\)$/.exec(template);
  const text = nonInterrupting && translations[nonInterrupting[1]!] ? `${translations[nonInterrupting[1]!]}（非中断）` : (translations[template] ?? template);
  return text.replace(/{([^}]+)}/g, (match, key: string) => replacements[key] ?? match);
}

export default {
  translate: ['value', translate],
};
