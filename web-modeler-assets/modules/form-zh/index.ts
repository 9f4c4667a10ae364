import './form-zh.css';

/**
 * form-js module: its validation messages in Chinese. form-js builds them in English inside
 * its `validator` service; this module wraps that service and translates each message.
 */
const patterns: [RegExp, (m: RegExpMatchArray) => string][] = [
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

export function translateValidation(message: string): string {
  for (const [pattern, text] of patterns) {
    const m = message.match(pattern);
    if (m) return text(m);
  }
  return message;
}

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
