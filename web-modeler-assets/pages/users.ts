import { api, get, post } from '../app/api.ts';
import { busy, h } from '../app/dom.ts';
import { roleNames } from '../app/role-names.ts';
import type { PageContext } from '../app/screens.ts';
import type { Department, Role, UserRecord } from '../app/types.ts';

const fieldLabels: Record<string, string> = {
  username: '用户名',
  displayName: '姓名',
  password: '初始密码',
  departmentId: '所属单位',
  roles: '角色',
  email: '电子邮箱',
};

/** 用户管理: every account; admins create accounts, disable/enable them and reset a lost second factor (each ending sessions). */
export async function render(ctx: PageContext): Promise<void> {
  const isAdmin = ctx.user.roles.includes('admin');
  const [users, departments] = await Promise.all([get<UserRecord[]>('/api/admin/users'), get<Department[]>('/api/departments')]);
  const messages = h('div', { class: 'messages', 'aria-live': 'polite' });
  ctx.outlet.append(h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '用户管理'), h('p', { class: 'muted' }, `共 ${users.length} 个账号`)), messages);

  if (isAdmin) ctx.outlet.append(createForm(ctx, departments));

  /** A row's button: asks first, calls the API, says what it did and shows the list anew. */
  const userAction = (u: UserRecord, o: { label: string; danger: boolean; confirm?: string; method: 'POST' | 'DELETE'; path: string; done: string }) => {
    const button = h('button', { type: 'button', class: `btn btn-small ${o.danger ? 'btn-danger' : ''}` }, o.label);
    button.setAttribute('aria-label', `${o.label}：用户 ${u.username}`);
    button.addEventListener(
      'click',
      busy(button, messages, async () => {
        if (o.confirm && !window.confirm(o.confirm)) return;
        await api(o.method, o.path);
        ctx.flash(`${o.done}：${u.displayName}`);
        ctx.navigate('/admin/users');
      }),
    );
    return button;
  };

  const rows = users.map((u) => {
    const toggle = u.disabled
      ? userAction(u, { label: '启用', danger: false, method: 'POST', path: `/api/admin/users/${u.id}/enable`, done: '已启用' })
      : userAction(u, { label: '停用', danger: true, confirm: `确定停用用户“${u.displayName}”？其所有登录会话将立即失效。`, method: 'POST', path: `/api/admin/users/${u.id}/disable`, done: '已停用' });
    const resetSecondFactor =
      u.secondFactor &&
      userAction(u, {
        label: '重置动态口令',
        danger: false,
        confirm: `确定重置用户“${u.displayName}”的动态口令？其登录会话将立即失效，下次登录时须重新绑定身份验证器。`,
        method: 'DELETE',
        path: `/api/admin/users/${u.id}/mfa`,
        done: '已重置动态口令',
      });
    return h(
      'tr',
      { 'data-username': u.username, class: u.disabled ? 'row-disabled' : '' },
      h('td', { 'data-label': '用户名' }, h('code', {}, u.username)),
      h('td', { 'data-label': '姓名' }, u.displayName),
      h('td', { 'data-label': '所属单位' }, ctx.departmentName(u.departmentId)),
      h('td', { 'data-label': '角色' }, u.roles.map((r) => roleNames[r] ?? r).join('、')),
      h('td', { 'data-label': '电子邮箱' }, u.email ?? '—'),
      h('td', { 'data-label': '状态' }, u.disabled ? h('span', { class: 'tag tag-grey' }, '已停用') : h('span', { class: 'tag tag-green' }, '正常')),
      h('td', { 'data-label': '动态口令' }, u.secondFactor ? '已绑定' : '—'),
      isAdmin && h('td', { 'data-label': '操作', class: 'actions' }, u.id === ctx.user.id ? h('span', { class: 'muted' }, '当前用户') : [toggle, resetSecondFactor]),
    );
  });
  ctx.outlet.append(
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table responsive', id: 'users-table' },
        h('caption', { class: 'sr-only' }, '用户列表'),
        h('thead', {}, h('tr', {}, [...['用户名', '姓名', '所属单位', '角色', '电子邮箱', '状态', '动态口令'], ...(isAdmin ? ['操作'] : [])].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows),
      ),
    ),
  );
}

function createForm(ctx: PageContext, departments: Department[]): HTMLElement {
  const errors = h('div', { class: 'form-errors', 'aria-live': 'assertive' });
  const input = (id: string, attrs: Record<string, string | boolean> = {}) => h('input', { id: `user-${id}`, name: id, ...attrs });
  const username = input('username', { required: true, autocomplete: 'off', spellcheck: 'false', pattern: '[a-z0-9_.\\-]{3,64}' });
  const displayName = input('displayName', { required: true, maxlength: '64' });
  const password = input('password', { type: 'password', required: true, minlength: '12', autocomplete: 'new-password' });
  const email = input('email', { type: 'email', autocomplete: 'off' });
  const department = h(
    'select',
    { id: 'user-departmentId', name: 'departmentId' },
    h('option', { value: '' }, '（无）'),
    departments.map((d) => h('option', { value: d.id }, d.name)),
  );
  const roleBoxes = (Object.keys(roleNames) as Role[]).map((r) =>
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'roles', value: r }), roleNames[r]),
  );
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, '创建用户');
  const form = h(
    'form',
    { class: 'grid-form', novalidate: true, id: 'user-create' },
    field('username', '用户名', username, '小写字母、数字、下划线、点或连字符，3–64 位'),
    field('displayName', '姓名', displayName),
    field('password', '初始密码', password, '至少 12 个字符'),
    field('departmentId', '所属单位', department, '责任单位角色必须选择单位'),
    field('email', '电子邮箱', email),
    h('fieldset', { class: 'field roles' }, h('legend', {}, '角色'), h('div', { class: 'checks' }, roleBoxes)),
    errors,
    h('div', { class: 'form-actions' }, submit),
  );
  const run = busy(
    submit,
    errors,
    async () => {
      const roles = roleBoxes.map((l) => l.querySelector('input')!).filter((i) => i.checked).map((i) => i.value);
      const created = await post<UserRecord>('/api/admin/users', {
        username: username.value.trim(),
        displayName: displayName.value.trim(),
        password: password.value,
        departmentId: department.value || null,
        roles,
        email: email.value.trim() || null,
      });
      ctx.flash(`已创建用户：${created.displayName}（${created.username}）`);
      ctx.navigate('/admin/users');
    },
    fieldLabels,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run().then(() => {
      const first = errors.querySelector<HTMLElement>('[data-field]')?.dataset.field;
      if (first) form.querySelector<HTMLElement>(`[name="${CSS.escape(first)}"]`)?.focus();
    });
  });
  return h('details', { class: 'card', id: 'user-create-card' }, h('summary', {}, h('h2', { class: 'inline' }, '新建用户')), form);
}

function field(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  const hintId = hint ? `user-${id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: `user-${id}` }, label), control, hint && h('div', { class: 'hint', id: hintId }, hint));
}
