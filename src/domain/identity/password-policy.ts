import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/**
 * What a new password must be (ASVS 6.2.1, 6.2.9, 6.2.11, 6.2.12): 12 to 128 characters, no composition rules, and
 * not guessable — checked offline with zxcvbn-ts against its list of the passwords most common in public breaches
 * (`passwords-common`, some 30,000) and its patterns (keyboard walks, sequences, repeats, dates, the user's own
 * names). A password scoring under 3 of 4 (fewer than about 10⁸ guesses) is refused.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;
const MIN_SCORE = 3;

// Building the ranked dictionaries takes a moment and some memory: once, and only when a password is set.
let estimator: ZxcvbnFactory | undefined;
const estimate = (password: string, userInputs: readonly string[]) => {
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  return estimator.check(password, [...userInputs]);
};

/** Why this password may not be set, in Chinese, or undefined when it may. Never quotes the password. */
export function passwordProblem(password: string, userInputs: readonly string[] = []): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `密码至少需要 ${MIN_PASSWORD_LENGTH} 个字符`;
  if (password.length > MAX_PASSWORD_LENGTH) return `密码不能超过 ${MAX_PASSWORD_LENGTH} 个字符`;
  const result = estimate(password, userInputs.filter((s) => s.length > 0));
  if (result.score >= MIN_SCORE) return undefined;
  const dictionaries = new Set(result.sequence.map((m) => ('dictionaryName' in m ? m.dictionaryName : undefined)));
  if (dictionaries.has('passwords-common')) return '密码由已泄露的常见密码组成，容易被猜中，请换一个';
  if (dictionaries.has('userInputs')) return '密码含有用户名或姓名，容易被猜中，请换一个';
  return '密码容易被猜中（如键盘连续字符、重复、顺序或日期），请换一个更长、不常见的密码';
}
