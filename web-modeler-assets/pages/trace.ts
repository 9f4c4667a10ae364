import { get } from '../app/api.ts';
import { h } from '../app/dom.ts';
import type { PageContext } from '../app/screens.ts';
import type { Trace, TraceNode } from '../app/types.ts';

/** The order of the loop (第五条–第十九条): a chain reads from the measured risk to its outcome. */
const steps: [string, string][] = [
  ['indicator', '风险指标'],
  ['notice', '风险提示函'],
  ['opinion', '工作意见'],
  ['measure', '措施'],
  ['meeting', '联席会议'],
  ['decision', '会议决定'],
  ['item', '督办事项'],
  ['escalation', '督办升级'],
  ['outcome', '成效评价'],
];

/** 溯源: everything a record came from and everything that came of it, in the loop's order. */
export async function render(ctx: PageContext): Promise<void> {
  const { kind, id } = ctx.params as { kind: string; id: string };
  const trace = await get<Trace>(`/api/trace/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`);
  const byKind = (k: string) => trace.nodes.filter((n) => n.kind === k);
  const units = (n: TraceNode) => n.departmentIds.map((d) => ctx.departmentName(d)).join('、');
  ctx.outlet.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '闭环溯源'), h('p', { class: 'muted' }, `共 ${trace.nodes.length} 个环节`)),
    h(
      'ol',
      { class: 'trace-chain', id: 'trace-chain' },
      steps
        .filter(([k]) => byKind(k).length > 0)
        .map(([k, title]) =>
          h(
            'li',
            { 'data-kind': k },
            h('h2', {}, `${title}（${byKind(k).length}）`),
            h(
              'ul',
              {},
              byKind(k).map((n) =>
                h(
                  'li',
                  {},
                  n.kind === trace.start.kind && n.id === trace.start.id ? h('strong', {}, n.label) : h('a', { href: `#/trace/${n.kind}/${encodeURIComponent(n.id)}` }, n.label),
                  n.departmentIds.length > 0 && h('span', { class: 'muted' }, ` · ${units(n)}`),
                ),
              ),
            ),
          ),
        ),
    ),
  );
}
