import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../src/domain/identity/password-policy.ts';

describe('password policy', () => {
  it('when a password is shorter than 12 or longer than 128 characters, then its length is the problem', () => {
    expect(passwordProblem('x7#Kq9!mZ2v')).toBe('密码至少需要 12 个字符');
    expect(passwordProblem('x'.repeat(129))).toBe('密码不能超过 128 个字符');
  });

  it('when a password is made of passwords common in public breaches, then it is refused as such', () => {
    for (const password of ['password1234', '123456789012', 'iloveyou1234', 'monkey123456', 'qwertyuiop12']) {
      expect(passwordProblem(password), password).toBe('密码由已泄露的常见密码组成，容易被猜中，请换一个');
    }
  });

  it('when a password is the user name with little added, then it is refused for containing it', () => {
    expect(passwordProblem('zhangwei.rsj1', ['zhangwei.rsj', '张伟'])).toBe('密码含有用户名或姓名，容易被猜中，请换一个');
    // Without the user's inputs the same password is not guessable from a list.
    expect(passwordProblem('zhangwei.rsj1')).toBeUndefined();
  });

  it('when a password is a keyboard pattern or a repeat, then it is refused as guessable', () => {
    expect(passwordProblem('zxcvbnmasdfg')).toMatch(/^密码(容易被猜中|由已泄露的常见密码组成)/);
    expect(passwordProblem('abcabcabcabc')).toBe('密码容易被猜中（如键盘连续字符、重复、顺序或日期），请换一个更长、不常见的密码');
  });

  it('when a password is long and uncommon, then it may be set, and the message never quotes it', () => {
    expect(passwordProblem('correct-horse-battery-staple')).toBeUndefined();
    expect(passwordProblem('唐河县平安办2026年督办台账')).toBeUndefined();
    expect(passwordProblem('password1234')).not.toContain('password');
  });
});
