/**
 * form-js in Chinese, in both doors: our inbox (web-modeler-assets/modules/form-zh imports this
 * file) and the engine's Tasklist (form-zh-tasklist.js, a custom script of config.js). It lives in
 * the engine's resources because Tasklist serves it as it is, without a build; the inbox's bundler
 * reads it from here, so there is one table. Type-checked (JSDoc) by web-modeler-assets/tsconfig.json.
 */

/** @type {readonly (readonly [RegExp, (m: RegExpMatchArray) => string])[]} */
const validationMessages = [
  [/^Field is required\.$/, () => '此项为必填项'],
  [/^Field must have minimum value of (.+)\.$/, (m) => `不能小于 ${m[1]}`],
  [/^Field must have maximum value of (.+)\.$/, (m) => `不能大于 ${m[1]}`],
  [/^Field must have minimum length of (.+)\.$/, (m) => `至少需要 ${m[1]} 个字符`],
  [/^Field must have maximum length of (.+)\.$/, (m) => `不能超过 ${m[1]} 个字符`],
  [/^Field must be a valid\s+international phone number.*$/, () => '请输入有效的电话号码（如 +8637712345678）'],
  [/^Field must be a valid email\.$/, () => '请输入有效的电子邮箱地址'],
  [/^Field must match pattern (.+)\.$/, () => '格式不正确'],
  [/^Value is not a number\.$/, () => '请输入数字'],
  [/^Value is expected to be an integer\.$/, () => '请输入整数'],
  [/^Value is expected to have at most (\d+) decimal digits?\.$/, (m) => `最多保留 ${m[1]} 位小数`],
  [/^Please select a valid value, the two nearest valid values are (.+) and (.+)\.$/, (m) => `取值无效，最接近的有效值为 ${m[1]} 或 ${m[2]}`],
  [/^(Min|Max) validation value is not a valid number\.$/, () => '表单的取值范围配置有误'],
];

/**
 * A form-js validation message (English, built at run time) in Chinese; an unknown one unchanged.
 * @param {string} message
 * @returns {string}
 */
export function translateValidation(message) {
  for (const [pattern, text] of validationMessages) {
    const m = message.match(pattern);
    if (m) return text(m);
  }
  return message;
}

/** @type {Readonly<Record<string, string>>} */
const placeholders = {
  Search: '搜索',
  // The date field's format hint in a Chinese browser; the picker reads typed dates in this order only.
  'yyyy/mm/dd': '年/月/日，如 2027/3/31',
};

/**
 * Fixed texts form-js writes as text nodes, exactly or with a number in them.
 * @type {readonly (readonly [RegExp, string])[]}
 */
const texts = [
  [/^Select$/, '请选择'],
  [/^No results$/, '无匹配项'],
  [/^Add new$/, '添加一项'],
  [/^Collapse$/, '收起'],
  [/^Expand all \((\d+)\)$/, '全部展开（$1）'],
  [/^Skip to search$/, '跳到搜索'],
];

/**
 * Fixed `aria-label`s of form-js buttons.
 * @type {readonly (readonly [RegExp, string])[]}
 */
const ariaLabels = [
  [/^Remove list item (\d+)$/, '删除第$1项'],
  [/^Increment$/, '加一'],
  [/^Decrement$/, '减一'],
  [/^Previous page$/, '上一页'],
  [/^Next page$/, '下一页'],
];

/**
 * @param {string} value
 * @param {readonly (readonly [RegExp, string])[]} table
 * @returns {string | undefined}
 */
const translated = (value, table) => {
  const hit = table.find(([pattern]) => pattern.test(value));
  return hit && value.replace(hit[0], hit[1]);
};

/**
 * A few form-js widgets write fixed English into the DOM: input placeholders ("Search"), texts
 * (the select's "Select", the empty list's "No results", the dynamic list's "Add new", "Collapse"
 * and "Expand all (n)", the tag list's "Skip to search"), button labels for screen readers
 * ("Remove list item n", "Increment") and, where nothing translated them before (Tasklist), the
 * validation messages under a field. Each is replaced as it appears; Preact leaves a node alone
 * until its own content changes, and writes a changed one anew (the observer sees it).
 * @param {HTMLElement} container
 * @returns {() => void} stops watching
 */
export function localizeFormDom(container) {
  const apply = () => {
    for (const el of container.querySelectorAll('input[placeholder]')) {
      const zh = placeholders[/** @type {HTMLInputElement} */ (el).placeholder];
      if (zh) /** @type {HTMLInputElement} */ (el).placeholder = zh;
    }
    for (const el of container.querySelectorAll('[aria-label]')) {
      const zh = translated(el.getAttribute('aria-label') ?? '', ariaLabels);
      if (zh) el.setAttribute('aria-label', zh);
    }
    // The text node itself changes, not the element's children: Preact keeps that node and writes
    // the chosen value into it later.
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    for (let node = /** @type {Text | null} */ (walker.nextNode()); node; node = /** @type {Text | null} */ (walker.nextNode())) {
      const text = node.data.trim();
      const zh = translated(text, texts) ?? translateValidation(text);
      if (zh !== text) node.data = zh;
    }
  };
  const observer = new MutationObserver(apply);
  observer.observe(container, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['aria-label', 'placeholder'] });
  apply();
  return () => observer.disconnect();
}
