/**
 * A visible "n / limit 字" counter under every text area of a Camunda Form (issue 21 point 9): form-js
 * refuses a text past its `validate.maxLength` on submit but shows no count while typing, and no
 * `maxlength` is set, so nothing pasted is cut. The limit is the form's own (every text field of our
 * forms has the same one, FORM_TEXT_LIMIT, held by the contract test); a dynamic list's new rows get
 * their counters as they appear.
 */
import { showCount } from '../../app/dom.ts';

interface Component {
  type?: string;
  validate?: { maxLength?: number };
  components?: Component[];
}

function textLimit(components: readonly Component[]): number | undefined {
  let limit: number | undefined;
  for (const c of components) {
    if (c.type === 'textarea' && c.validate?.maxLength) limit = Math.max(limit ?? 0, c.validate.maxLength);
    const inner = textLimit(c.components ?? []);
    if (inner) limit = Math.max(limit ?? 0, inner);
  }
  return limit;
}

export function countFormTexts(container: HTMLElement, schema: { components?: Component[] }): () => void {
  const limit = textLimit(schema.components ?? []);
  if (!limit) return () => {};
  const show = (area: HTMLTextAreaElement, counter: HTMLElement) => showCount(counter, area.value.length, limit);
  const attach = () => {
    for (const area of container.querySelectorAll<HTMLTextAreaElement>('textarea')) {
      const next = area.nextElementSibling;
      if (next instanceof HTMLElement && next.classList.contains('form-text-count')) {
        show(area, next);
        continue;
      }
      const counter = document.createElement('div');
      counter.className = 'hint form-text-count';
      counter.setAttribute('aria-live', 'polite');
      area.after(counter);
      show(area, counter);
    }
  };
  const onInput = (e: Event) => {
    const area = e.target;
    if (area instanceof HTMLTextAreaElement && area.nextElementSibling instanceof HTMLElement) show(area, area.nextElementSibling);
  };
  container.addEventListener('input', onInput);
  const observer = new MutationObserver(attach);
  observer.observe(container, { childList: true, subtree: true });
  attach();
  return () => {
    observer.disconnect();
    container.removeEventListener('input', onInput);
  };
}
