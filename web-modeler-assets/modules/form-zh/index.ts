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
 * A few form-js widgets write fixed English into the DOM: input placeholders ("Search") and the
 * select's "Select" and the empty list's "No results" as text. Both are replaced here as they
 * appear (Preact leaves a node alone until its own content changes).
 */
const placeholders: Record<string, string> = {
  Search: '搜索',
  // The date field's format hint in a Chinese browser; the picker reads typed dates in this order only.
  'yyyy/mm/dd': '年/月/日，如 2027/3/31',
};

/** Fixed texts form-js writes as text, not as a translatable label (a screen reader reads them too). */
const texts: Record<string, string> = { Select: '请选择', 'No results': '无匹配项' };

export function localizeFormDom(container: HTMLElement): () => void {
  const apply = () => {
    for (const el of container.querySelectorAll<HTMLInputElement>('input[placeholder]')) {
      const zh = placeholders[el.placeholder];
      if (zh) el.placeholder = zh;
    }
    // The text node itself changes, not the element's children: Preact keeps that node and writes
    // the chosen value into it later.
    for (const el of container.querySelectorAll<HTMLElement>('.fjs-select-display, .fjs-dropdownlist-empty')) {
      const node = el.firstChild;
      if (node instanceof Text && texts[node.data]) node.data = texts[node.data]!;
    }
  };
  const observer = new MutationObserver(apply);
  observer.observe(container, { childList: true, subtree: true, characterData: true });
  apply();
  return () => observer.disconnect();
}
