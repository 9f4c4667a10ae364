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
 * A few form-js widgets write fixed English into the DOM: input placeholders ("Search"), texts
 * (the select's "Select", the empty list's "No results", the dynamic list's "Add new", "Collapse"
 * and "Expand all (n)", the tag list's "Skip to search") and button labels for screen readers
 * ("Remove list item n", "Increment"). Each is replaced here as it appears; Preact leaves a node
 * alone until its own content changes, and writes a changed one anew (the observer sees it).
 */
const placeholders: Record<string, string> = {
  Search: '搜索',
  // The date field's format hint in a Chinese browser; the picker reads typed dates in this order only.
  'yyyy/mm/dd': '年/月/日，如 2027/3/31',
};

/** Fixed texts form-js writes as text nodes, exactly or with a number in them. */
const texts: readonly (readonly [RegExp, string])[] = [
  [/^Select$/, '请选择'],
  [/^No results$/, '无匹配项'],
  [/^Add new$/, '添加一项'],
  [/^Collapse$/, '收起'],
  [/^Expand all \((\d+)\)$/, '全部展开（$1）'],
  [/^Skip to search$/, '跳到搜索'],
];

/** Fixed `aria-label`s of form-js buttons. */
const ariaLabels: readonly (readonly [RegExp, string])[] = [
  [/^Remove list item (\d+)$/, '删除第$1项'],
  [/^Increment$/, '加一'],
  [/^Decrement$/, '减一'],
  [/^Previous page$/, '上一页'],
  [/^Next page$/, '下一页'],
];

const translated = (value: string, table: readonly (readonly [RegExp, string])[]): string | undefined => {
  const hit = table.find(([pattern]) => pattern.test(value));
  return hit && value.replace(hit[0], hit[1]);
};

export function localizeFormDom(container: HTMLElement): () => void {
  const apply = () => {
    for (const el of container.querySelectorAll<HTMLInputElement>('input[placeholder]')) {
      const zh = placeholders[el.placeholder];
      if (zh) el.placeholder = zh;
    }
    for (const el of container.querySelectorAll<HTMLElement>('[aria-label]')) {
      const zh = translated(el.getAttribute('aria-label')!, ariaLabels);
      if (zh) el.setAttribute('aria-label', zh);
    }
    // The text node itself changes, not the element's children: Preact keeps that node and writes
    // the chosen value into it later.
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const zh = translated(node.data.trim(), texts);
      if (zh) node.data = zh;
    }
  };
  const observer = new MutationObserver(apply);
  observer.observe(container, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['aria-label', 'placeholder'] });
  apply();
  return () => observer.disconnect();
}
