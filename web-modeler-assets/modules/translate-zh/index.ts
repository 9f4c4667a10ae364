import { translations } from './translations.ts';

/**
 * bpmn-js `translate` override (the documented i18n hook of bpmn-js and its properties panel):
 * English template → Chinese, then {placeholders} filled as the original does.
 */
export function translate(template: string, replacements: Record<string, string> = {}): string {
  const text = translations[template] ?? template;
  return text.replace(/{([^}]+)}/g, (match, key: string) => replacements[key] ?? match);
}

export default {
  translate: ['value', translate],
};
