import { ApiError, post, setCsrfToken } from '../app/api.ts';
import { busy, h } from '../app/dom.ts';
import type { User } from '../app/types.ts';

interface LoggedIn {
  user: User;
  csrfToken: string | null;
}
/** The password step's answer: logged in, or a second factor still owed (set up first when the role needs one). */
interface PasswordAnswer {
  user: User | null;
  csrfToken: string | null;
  mfa?: { step: 'verify' | 'enroll'; enrollment?: { secret: string; uri: string; qrCode: string } };
}

/**
 * 登录: username and password, then for the roles that need one (MFA_ROLES) the 6-digit code of an authenticator
 * app, which the first login sets up from a QR code. The server answers failures in Chinese and throttles guessing.
 */
export function renderLogin(root: HTMLElement, o: { onLoggedIn(session: LoggedIn): Promise<void> }): void {
  const card = h('section', { class: 'login-card' });
  const brand = h(
    'div',
    { class: 'login-brand' },
    h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '安'),
    h('div', {}, h('div', { class: 'login-product' }, '社会治理风险闭环管理平台'), h('div', { class: 'login-sub' }, '司法大数据风险预警 · 研判 · 督办 · 反馈 · 评价')),
  );
  const foot = h('p', { class: 'login-foot' }, '唐河县平安建设领导小组办公室 · 唐河县人民法院');
  const show = (form: HTMLElement, focus: HTMLElement) => {
    card.replaceChildren(brand, form, foot);
    focus.focus();
  };

  const passwordStep = (reason?: string) => {
    const errors = h('div', { class: 'form-errors', 'aria-live': 'assertive' }, reason && h('div', { class: 'alert alert-error', role: 'alert' }, reason));
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
        const answer = await post<PasswordAnswer>('/api/session', { username: username.value.trim(), password: password.value });
        setCsrfToken(answer.csrfToken);
        if (answer.user) await o.onLoggedIn({ user: answer.user, csrfToken: answer.csrfToken });
        else if (answer.mfa) secondFactorStep(answer.mfa);
      },
      { username: '用户名', password: '密码' },
    );
    onSubmit(form, run, errors, password);
    show(form, username);
  };

  const secondFactorStep = (mfa: NonNullable<PasswordAnswer['mfa']>) => {
    const errors = h('div', { class: 'form-errors', 'aria-live': 'assertive' });
    const code = h('input', { id: 'mfa-code', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6', pattern: '\\d{6}', required: true, spellcheck: 'false' });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, mfa.enrollment ? '绑定并登录' : '验证并登录');
    const back = h('button', { type: 'button', class: 'btn btn-link btn-block' }, '返回重新登录');
    back.addEventListener('click', () => passwordStep());
    const enrollment = mfa.enrollment && [
      h('p', { class: 'login-hint' }, '您的角色登录时须使用动态口令。请用手机上的身份验证器应用扫描下方二维码，或手动输入密钥，然后填写应用显示的 6 位数字。'),
      h('img', { class: 'mfa-qr', src: mfa.enrollment.qrCode, alt: '身份验证器绑定二维码', width: '180', height: '180' }),
      h('p', { class: 'login-hint' }, '密钥：', h('code', { id: 'mfa-secret' }, mfa.enrollment.secret.replace(/(.{4})(?=.)/g, '$1 '))),
    ];
    const form = h(
      'form',
      { class: 'login-form', novalidate: true, 'aria-labelledby': 'login-title' },
      h('h1', { id: 'login-title' }, mfa.enrollment ? '绑定身份验证器' : '动态口令验证'),
      enrollment || h('p', { class: 'login-hint' }, '请输入手机身份验证器应用显示的 6 位动态口令。'),
      h('div', { class: 'field' }, h('label', { for: 'mfa-code' }, '动态口令'), code),
      errors,
      submit,
      back,
    );
    const run = busy(
      submit,
      errors,
      async () => {
        if (!/^\d{6}$/.test(code.value.trim())) {
          errors.append(h('div', { class: 'alert alert-error', role: 'alert' }, '请输入 6 位数字动态口令'));
          return;
        }
        try {
          await o.onLoggedIn(await post<LoggedIn>('/api/session/mfa', { code: code.value.trim() }));
        } catch (error) {
          // Too slow or too many wrong codes: the password is asked again, with the reason.
          if (error instanceof ApiError && error.status === 401) passwordStep(error.message);
          else throw error;
        }
      },
      { code: '动态口令' },
    );
    onSubmit(form, run, errors, code);
    show(form, code);
  };

  root.append(h('main', { id: 'main', class: 'login-page' }, card));
  passwordStep();
}

/** Enter or the button runs the step; after a refusal the field to retype is selected. */
function onSubmit(form: HTMLFormElement, run: () => Promise<void>, errors: HTMLElement, retype: HTMLInputElement): void {
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run().then(() => {
      if (errors.childElementCount > 0) retype.select();
    });
  });
}
