import { get, post } from '../app/api.ts';
import { append, busy, clear, h } from '../app/dom.ts';
import { formatDateTime } from '../app/format.ts';
import type { PageContext } from '../app/screens.ts';

interface Definition {
  id: string;
  definition: { name: string; domain: string; enabled?: boolean };
}

interface Department {
  id: string;
  name: string;
  kind: string;
}

type PeriodKind = 'half_year' | 'annual';

/** GET /api/topic-reports (src/services/loop/topics.ts TopicSummary). */
interface Topic {
  roundId: string;
  subject: string;
  scope: { indicatorIds: string[]; townshipIds: string[]; periods: { kind: PeriodKind; year: number }[] };
  status: string;
  composedBy: string;
  composedAt: string;
  reportDocumentId: string | null;
}

const statusNames: Record<string, string> = { started: '计算中', drafted: '法院审核/领导审批中', approved: '已批准，发函中', notices_sent: '风险提示函办理中', closed: '已办结' };
/** The request's fields as the form names them, for the server's field errors. */
const fieldNames = { subject: '专题名称', indicatorIds: '分析指标', townshipIds: '乡镇（街道）', periods: '分析期间' };
const periodName = (p: { kind: PeriodKind; year: number }) => `${p.year}年${p.kind === 'annual' ? '度' : '上半年'}`;

/** Check boxes in a fieldset (the app's .checks row, wrapping on a phone). */
function checkList(legend: string, name: string, options: { value: string; label: string }[]): { fieldset: HTMLElement; values(): string[] } {
  const boxes = options.map((o) => h('input', { type: 'checkbox', name, value: o.value, id: `${name}-${o.value}` }));
  const fieldset = h(
    'fieldset',
    { class: 'field', id: `${name}-list` },
    h('legend', {}, legend),
    h('div', { class: 'checks' }, options.map((o, i) => h('label', { class: 'check', for: `${name}-${o.value}` }, boxes[i]!, o.label))),
  );
  return { fieldset, values: () => boxes.filter((b) => b.checked).map((b) => b.value) };
}

/**
 * 专题分析 (第六条): the court composes a study of chosen indicators in chosen townships over chosen
 * periods; it goes through the round's own review and approval, and its 专题分析报告 and any
 * 风险提示函 are issued like a round's. The office and leaders follow where each topic stands.
 */
export async function render(ctx: PageContext): Promise<void> {
  const [definitions, departments, topics] = await Promise.all([get<Definition[]>('/api/indicators'), get<Department[]>('/api/departments'), get<Topic[]>('/api/topic-reports')]);
  const composes = ctx.user.roles.includes('court_analyst');
  const list = h('div', { id: 'topic-list' });
  const count = h('p', { class: 'muted' });
  const showList = (rows: Topic[]) => {
    clear(list);
    count.textContent = `共 ${rows.length} 个专题`;
    if (rows.length === 0) {
      list.append(h('p', { class: 'muted' }, '暂无专题分析。'));
      return;
    }
    list.append(
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table responsive' },
          h('thead', {}, h('tr', {}, ['编号', '专题', '范围', '状态', '发起', '报告'].map((c) => h('th', { scope: 'col' }, c)))),
          h(
            'tbody',
            {},
            rows.map((t) =>
              h(
                'tr',
                { 'data-topic': t.roundId },
                h('td', { 'data-label': '编号' }, t.roundId),
                h('td', { 'data-label': '专题' }, t.subject),
                h(
                  'td',
                  { 'data-label': '范围' },
                  `${t.scope.indicatorIds.join('、')}；${t.scope.townshipIds.length ? t.scope.townshipIds.map((id) => ctx.departmentName(id)).join('、') : '全县'}；${t.scope.periods.map(periodName).join('、')}`,
                ),
                h('td', { 'data-label': '状态' }, statusNames[t.status] ?? t.status),
                h('td', { 'data-label': '发起' }, `${t.composedBy} · ${formatDateTime(t.composedAt)}`),
                h('td', { 'data-label': '报告' }, t.reportDocumentId ? h('a', { href: `#/documents/${t.reportDocumentId}` }, '专题分析报告') : '生成中'),
              ),
            ),
          ),
        ),
      ),
    );
  };
  showList(topics);

  const form = composes ? composeForm() : '';
  function composeForm(): HTMLElement {
    const messages = h('div', { class: 'messages' });
    const subject = h('input', { id: 'topic-subject', type: 'text', maxlength: '40', placeholder: '如：民间借贷纠纷' });
    const indicators = checkList(
      '分析指标（最多 6 项）',
      'topic-indicator',
      definitions.filter((d) => d.definition.enabled !== false).map((d) => ({ value: d.id, label: `${d.id} ${d.definition.name}` })),
    );
    const townships = checkList(
      '乡镇（街道）（最多 8 个；不选则只分析全县）',
      'topic-township',
      departments.filter((d) => d.kind === 'township').map((d) => ({ value: d.id, label: d.name.replace(/(人民政府|办事处)$/, '') })),
    );
    const kind = h('select', { id: 'topic-period-kind' }, h('option', { value: 'half_year' }, '上半年'), h('option', { value: 'annual' }, '全年'));
    const thisYear = new Date().getFullYear();
    const years = checkList('分析年份（最多 4 个）', 'topic-year', Array.from({ length: 6 }, (_, i) => thisYear - 5 + i).map((y) => ({ value: String(y), label: `${y}年` })));
    const submit = h('button', { type: 'button', class: 'btn btn-primary', id: 'topic-submit' }, '发起专题分析');
    submit.addEventListener(
      'click',
      busy(submit, messages, async () => {
        const started = await post<{ roundId: string }>('/api/topic-reports', {
          subject: subject.value,
          indicatorIds: indicators.values(),
          townshipIds: townships.values(),
          periods: years.values().map((y) => ({ kind: kind.value as PeriodKind, year: Number(y) })),
        });
        ctx.flash(`已发起专题分析 ${started.roundId}：计算指标后生成专题分析报告，提交法院审核、领导审批`, 'success');
        showList(await get<Topic[]>('/api/topic-reports'));
      }, fieldNames),
    );
    return h(
      'section',
      { class: 'card', id: 'topic-card', 'aria-labelledby': 'topic-title' },
      h('h2', { id: 'topic-title' }, '发起专题分析'),
      h('p', { class: 'muted' }, '选择指标、乡镇（街道）和期间，系统按半年、年度评估的口径计算，生成专题分析报告（小于 5 件的数值不显示），经法院审核、领导审批后报送县委、县政府、县委政法委，并可向风险单位发出风险提示函。'),
      h('div', { class: 'field' }, h('label', { for: 'topic-subject' }, '专题名称'), subject),
      indicators.fieldset,
      townships.fieldset,
      h('div', { class: 'toolbar' }, h('label', { for: 'topic-period-kind' }, '期间类型'), kind),
      years.fieldset,
      h('div', {}, submit),
      messages,
    );
  }

  append(ctx.outlet, [
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '专题分析'), count),
    form,
    h('section', { class: 'card', 'aria-labelledby': 'topic-list-title' }, h('h2', { id: 'topic-list-title' }, '专题分析一览'), list),
  ]);
}
