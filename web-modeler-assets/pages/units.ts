import { api, get } from '../app/api.ts';
import { append, busy, h } from '../app/dom.ts';
import type { PageContext } from '../app/screens.ts';

interface Unit {
  id: string;
  name: string;
  kind: string;
  email: string;
  leaderEmail: string | null;
  active: boolean;
}

const kindNames: Record<string, string> = { court: '法院', leadership: '领导机关', office: '平安办', department: '职能部门', township: '乡镇（街道）' };

/** 单位管理: where each unit's notices are mailed, who is cc'd on its 催办, whether it takes part. */
export async function render(ctx: PageContext): Promise<void> {
  const units = await get<Unit[]>('/api/admin/departments');
  const isAdmin = ctx.user.roles.includes('admin');
  const messages = h('div', { class: 'messages', 'aria-live': 'polite' });
  ctx.outlet.append(h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '单位管理'), h('p', { class: 'muted' }, `共 ${units.length} 个单位`)), messages);
  const row = (u: Unit) => {
    const email = h('input', { type: 'email', value: u.email, 'aria-label': `${u.name} 收文邮箱`, readonly: !isAdmin });
    const leader = h('input', { type: 'email', value: u.leaderEmail ?? '', 'aria-label': `${u.name} 分管领导邮箱`, readonly: !isAdmin });
    const active = h('input', { type: 'checkbox', checked: u.active, 'aria-label': `${u.name} 参与闭环`, disabled: !isAdmin });
    const save = h('button', { type: 'button', class: 'btn btn-small' }, '保存');
    save.addEventListener(
      'click',
      busy(save, messages, async () => {
        await api('PATCH', `/api/admin/departments/${u.id}`, { email: email.value.trim(), leaderEmail: leader.value.trim() || null, active: active.checked });
        ctx.flash(`已保存：${u.name}`);
        ctx.navigate('/admin/units');
      }, { email: '收文邮箱', leaderEmail: '分管领导邮箱' }),
    );
    return h(
      'tr',
      { 'data-unit': u.id },
      h('td', { 'data-label': '单位' }, u.name),
      h('td', { 'data-label': '类别' }, kindNames[u.kind] ?? u.kind),
      h('td', { 'data-label': '收文邮箱' }, email),
      h('td', { 'data-label': '分管领导邮箱（催办抄送）' }, leader),
      h('td', { 'data-label': '参与闭环' }, active),
      h('td', { 'data-label': '操作' }, isAdmin ? save : null),
    );
  };
  append(ctx.outlet, [
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table responsive', id: 'units-table' },
        h('caption', { class: 'sr-only' }, '县内单位'),
        h('thead', {}, h('tr', {}, ['单位', '类别', '收文邮箱', '分管领导邮箱（催办抄送）', '参与闭环', ''].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, units.map(row)),
      ),
    ),
  ]);
}
