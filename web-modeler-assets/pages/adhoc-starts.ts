import { post } from '../app/api.ts';
import { busy, clear, countedTextarea, h } from '../app/dom.ts';
import type { PageContext } from '../app/screens.ts';

/**
 * 临时启动 on the home page (第九、十四条): the convener or the office calls an ad-hoc 联席会议, the
 * office an ad-hoc 督办事项专报, with the reason on record. Each form keeps one request id until it
 * succeeds, so a double click or a resent request starts one meeting or 专报, not two.
 */
export function adhocStartCard(ctx: PageContext): HTMLElement | null {
  const roles = ctx.user.roles as string[];
  const office = roles.includes('peace_office');
  if (!office && !roles.includes('leader')) return null;
  return h(
    'section',
    { class: 'card', id: 'home-adhoc', 'aria-labelledby': 'home-adhoc-title' },
    h('h2', { id: 'home-adhoc-title' }, '临时启动'),
    adhocForm({
      id: 'adhoc-meeting',
      title: '临时召开联席会议',
      url: '/api/meetings/adhoc',
      done: () => '已发起临时联席会议：议程生成后，“召开联席会议并记录会议纪要”的待办将交县委政法委和领导办理。',
    }),
    office &&
      adhocForm({
        id: 'adhoc-bulletin',
        title: '发起督办事项专报',
        url: '/api/bulletins/adhoc',
        done: () => '已发起督办事项专报：汇编完成后，“平安办审核专报”的待办将出现在待办中。',
      }),
  );
}

function adhocForm(spec: { id: string; title: string; url: string; done: () => string }): HTMLElement {
  let requestId = crypto.randomUUID();
  const messages = h('div', { class: 'messages', id: `${spec.id}-result`, 'aria-live': 'polite' });
  const { text: reason, counter, reset } = countedTextarea(`${spec.id}-reason`, 500, 2);
  reason.placeholder = '事由，如：某镇民间借贷风险集中暴露，需临时研判';
  const start = h('button', { type: 'button', class: 'btn', id: `${spec.id}-start` }, spec.title);
  start.addEventListener(
    'click',
    busy(
      start,
      messages,
      async () => {
        await post(spec.url, { requestId, reason: reason.value });
        requestId = crypto.randomUUID();
        reset();
        clear(messages);
        messages.append(h('div', { class: 'alert alert-success', role: 'status' }, spec.done()));
      },
      { reason: '事由', requestId: '请求编号' },
    ),
  );
  return h('div', { class: 'adhoc-start' }, h('label', { for: `${spec.id}-reason` }, `${spec.title}的事由`), reason, counter, h('p', {}, start), messages);
}
