/** form-js validation messages (English, built at run time) → Chinese. */
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
