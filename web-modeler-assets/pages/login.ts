import { post } from '../app/api.ts';
import { busy, h } from '../app/dom.ts';
import type { User } from '../app/types.ts';

/** 登录: username and password; the server answers failures in Chinese and throttles guessing. */
export function renderLogin(root: HTMLElement, o: { onLoggedIn(session: { user: User; csrfToken: string | null }): Promise<void> }): void {
  const errors = h('div', { class: 'form-errors', 'aria-live': 'assertive' });
  const username = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, autofocus: true, spellcheck: 'false', autocapitalize: 'off' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, '登录');
  const form = h(
    'form',
    { class: 'login-form', novalidate: true, 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, '用户登录'),
    h('div', { class: 'field' }, h('label', { for: 'login-username' }, '用户名'), username),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, '密码'), password),
    errors,
    submit,
  );
  const run = busy(
    submit,
    errors,
    async () => {
      if (!username.value.trim() || !password.value) {
        errors.append(h('div', { class: 'alert alert-error', role: 'alert' }, '请输入用户名和密码'));
        (username.value.trim() ? password : username).focus();
        return;
      }
      const session = await post<{ user: User; csrfToken: string | null }>('/api/session', { username: username.value.trim(), password: password.value });
      await o.onLoggedIn(session);
    },
    { username: '用户名', password: '密码' },
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run().then(() => {
      if (errors.childElementCount > 0) password.select();
    });
  });
  root.append(
    h(
      'main',
      { id: 'main', class: 'login-page' },
      h(
        'section',
        { class: 'login-card' },
        h(
          'div',
          { class: 'login-brand' },
          h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '安'),
          h('div', {}, h('div', { class: 'login-product' }, '社会治理风险闭环管理平台'), h('div', { class: 'login-sub' }, '司法大数据风险预警 · 研判 · 督办 · 反馈 · 评价')),
        ),
        form,
        h('p', { class: 'login-foot' }, '唐河县平安建设领导小组办公室 · 唐河县人民法院'),
      ),
    ),
  );
  username.focus();
}
