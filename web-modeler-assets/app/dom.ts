import { ApiError } from './api.ts';

/**
 * A small hyperscript: every text goes in as a text node (never as HTML), so data from the
 * server cannot inject markup.
 */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = String(value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function clear(el: Element): void {
  el.replaceChildren();
}

/** An alert box for an error: the API's Chinese message and, when given, each field's reason. */
export function errorBox(error: unknown, labels: Record<string, string> = {}): HTMLElement {
  const e = error instanceof ApiError ? error : new ApiError(0, 'client', error instanceof Error ? error.message : String(error));
  return h(
    'div',
    { class: 'alert alert-error', role: 'alert' },
    h('strong', {}, e.message),
    e.problems.length > 0 &&
      h(
        'ul',
        { class: 'problems' },
        e.problems.map((p) => h('li', { 'data-field': p.field }, h('span', { class: 'problem-field' }, labels[p.field] ?? p.field), '：', p.reason)),
      ),
  );
}

export function notice(text: string, kind: 'info' | 'success' | 'warning' = 'info'): HTMLElement {
  return h('div', { class: `alert alert-${kind}`, role: 'status' }, text);
}

export function loading(text = '正在加载…'): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, text);
}

/** Runs an async action from a button: disabled while busy, errors shown in `into`. */
export function busy(button: HTMLButtonElement, into: HTMLElement, action: () => Promise<void>, labels?: Record<string, string>): () => Promise<void> {
  return async () => {
    if (button.disabled) return;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    clear(into);
    try {
      await action();
    } catch (error) {
      into.append(errorBox(error, labels));
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  };
}

/**
 * A text's "n / limit 字" counter, red past the limit. Writes only a change: a counter watched by a
 * MutationObserver (form-counters) would otherwise be told of every write and never settle.
 */
export function showCount(counter: HTMLElement, length: number, limit: number): void {
  const text = `${length} / ${limit} 字${length > limit ? `，超出 ${length - limit} 字` : ''}`;
  if (counter.textContent !== text) counter.textContent = text;
  counter.classList.toggle('over-limit', length > limit);
}

/**
 * A textarea with a visible "n / limit 字" counter under it. No `maxlength`: a browser cuts pasted
 * text at it silently; here the counter turns red past the limit and the server refuses the text
 * with the field named, so nothing is lost unseen.
 */
export function countedTextarea(id: string, limit: number, rows = 4): { text: HTMLTextAreaElement; counter: HTMLElement; reset: () => void } {
  const counter = h('div', { class: 'hint', id: `${id}-count`, 'aria-live': 'polite' }, `0 / ${limit} 字`);
  const text = h('textarea', { id, rows: String(rows), 'aria-describedby': `${id}-count` });
  const update = () => showCount(counter, text.value.length, limit);
  text.addEventListener('input', update);
  return {
    text,
    counter,
    reset: () => {
      text.value = '';
      update();
    },
  };
}
