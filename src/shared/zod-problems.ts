import type { z } from 'zod';
import { ValidationError, type FieldProblem } from './errors.ts';

/** zod issues in Chinese, naming the field: what a county clerk reads when a form is refused. */
function reasonOf(issue: z.core.$ZodIssue): string {
  // A schema's own Chinese message (e.g. a regex rule's explanation) says it best.
  if (/[\u4e00-\u9fff]/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? '必填' : `类型错误，应为${typeName(issue.expected)}`;
    case 'too_small':
      return issue.origin === 'string' ? `长度不能少于 ${issue.minimum} 个字符` : issue.origin === 'array' ? `至少需要 ${issue.minimum} 项` : `不能小于 ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string' ? `长度不能超过 ${issue.maximum} 个字符` : issue.origin === 'array' ? `最多 ${issue.maximum} 项` : `不能大于 ${issue.maximum}`;
    case 'unrecognized_keys':
      return `不允许的字段：${issue.keys.join('、')}`;
    case 'invalid_value':
      return `取值无效，可选：${issue.values.map(String).join('、')}`;
    case 'invalid_format':
      return issue.format === 'datetime' || issue.format === 'date' ? '日期格式错误' : '格式错误';
    default:
      return '取值无效';
  }
}

function typeName(expected: string): string {
  return ({ string: '文本', number: '数字', boolean: '是/否', array: '列表', object: '对象', int: '整数' } as Record<string, string>)[expected] ?? expected;
}

export function problemsOf(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || prefix || '(请求体)',
    reason: reasonOf(issue),
  }));
}

export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, prefix: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(problemsOf(result.error, prefix));
  return result.data;
}
