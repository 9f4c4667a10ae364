import './form-zh.css';
import { translateValidation } from './messages.ts';

/**
 * form-js module: its validation messages in Chinese. form-js builds them in English inside
 * its `validator` service; this module wraps that service and translates each message.
 */
interface Validator {
  validateField?: (...args: unknown[]) => string[];
  validateFieldInstance?: (...args: unknown[]) => string[];
}

function ChineseValidation(validator: Validator): void {
  for (const method of ['validateField', 'validateFieldInstance'] as const) {
    const original = validator[method];
    if (typeof original !== 'function') continue;
    validator[method] = (...args: unknown[]) => original.apply(validator, args).map(translateValidation);
  }
}
ChineseValidation.$inject = ['validator'];

export default {
  __init__: ['chineseValidation'],
  chineseValidation: ['type', ChineseValidation],
};

/**
 * A few form-js widgets write fixed English into the DOM. Text nodes belong to form-js's Preact
 * renderer, so the select's "Select" and the empty list's "No results" are replaced in CSS
 * (form-zh.css); input placeholders ("Search") are attributes and are set here.
 */
const placeholders: Record<string, string> = { Search: '搜索' };

export function localizeFormDom(container: HTMLElement): () => void {
  const apply = () => {
    for (const el of container.querySelectorAll<HTMLInputElement>('input[placeholder]')) {
      const zh = placeholders[el.placeholder];
      if (zh) el.placeholder = zh;
    }
  };
  const observer = new MutationObserver(apply);
  observer.observe(container, { childList: true, subtree: true });
  apply();
  return () => observer.disconnect();
}
