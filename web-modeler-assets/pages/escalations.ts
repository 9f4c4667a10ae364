import {
  ORDER_REASONS,
  STEP_LABELS,
  type EscalationBoard,
  type ItemInHandling,
  type OrderedStep,
  type OrderReason,
  type PromptView,
} from '../../src/domain/loop/escalation-orders.ts';
import { get, post } from '../app/api.ts';
import { append, busy, countedTextarea, h } from '../app/dom.ts';
import { formatDate, formatDateTime } from '../app/format.ts';
import type { PageContext } from '../app/screens.ts';

const EVIDENCE_LIMIT = 2000;
const FIELD_LABELS = { itemId: '督办事项', step: '决定事项', reason: '事由', evidence: '依据和事实', note: '说明', promptKey: '建议' };
/** The option of a 约谈 prompt that orders the unit's own 约谈, not one of its items'. */
const UNIT_ITSELF = '';
const PATH = '/escalations';

/** A button that runs `action` once at a time, its errors shown in `messages` with the fields named in Chinese. */
function actionButton(attrs: Record<string, string>, label: string, messages: HTMLElement, action: () => Promise<void>): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'btn btn-primary', ...attrs }, label);
  button.addEventListener('click', busy(button, messages, action, FIELD_LABELS));
  return button;
}

const itemText = (i: ItemInHandling) => `${i.departmentName}｜${i.number ?? '（待编号）'} ${i.title}（时限 ${formatDate(i.deadline)}）`;
const reasonsOf = (step: OrderedStep) => (Object.entries(ORDER_REASONS) as [OrderReason, (typeof ORDER_REASONS)[OrderReason]][]).filter(([, r]) => r.step === step);

/**
 * 约谈与挂牌 (第十五条): what the data suggest (a township's 信访/舆情, a unit's overdue items and
 * 红牌, a 重大 item past its 红牌) with the figures; a leader accepts a prompt on one of the unit's
 * items or dismisses it, or orders 约谈 or 挂牌督办 of any item in handling; the office sees the same
 * and what was decided. The item's process then runs its own 约谈 or 挂牌 path.
 */
export async function render(ctx: PageContext): Promise<void> {
  const leader = ctx.user.roles.includes('leader');
  const [board, units] = await Promise.all([get<EscalationBoard>('/api/escalation-orders'), leader ? get<{ id: string; name: string; kind: string }[]>('/api/departments') : []]);
  const done = (text: string) => {
    ctx.flash(text, 'success');
    ctx.navigate(PATH);
  };

  append(ctx.outlet, [
    h(
      'div',
      { class: 'page-head' },
      h('h1', { tabindex: '-1' }, '约谈与挂牌'),
      h('p', { class: 'muted' }, '第十五条：社会治理工作不力、群众反映强烈的，约谈主要负责人；平安建设工作落实不到位或者存在重大安全风险隐患的，挂牌督办。'),
    ),
    h(
      'section',
      { class: 'card', id: 'escalation-prompts', 'aria-labelledby': 'escalation-prompts-title' },
      h('h2', { id: 'escalation-prompts-title' }, `数据提示（${board.prompts.length}）`),
      board.prompts.length === 0
        ? h('p', { class: 'muted' }, '目前没有超过提示线的情况。')
        : h('ul', { class: 'plain list-rows' }, board.prompts.map((p) => promptRow(p, board.items, leader, done))),
    ),
    leader && orderForm(board.items, done),
    leader && unitInterviewForm(units.filter((u) => u.kind === 'department' || u.kind === 'township'), done),
    decisions(board),
  ]);
}

function promptRow(p: PromptView, items: readonly ItemInHandling[], leader: boolean, done: (text: string) => void): HTMLElement {
  const candidates = items.filter((i) => i.departmentId === p.departmentId && i.openSteps.includes(p.step) && (!p.itemId || i.id === p.itemId));
  const head = [h('strong', {}, `${p.departmentName}：建议${p.stepLabel}`), ' ', h('span', { class: 'tag tag-red' }, p.reasonLabel), h('div', { class: 'prompt-figures' }, p.figures)];
  if (!leader) return h('li', { 'data-prompt-key': p.key }, head, h('div', { class: 'muted small' }, '待领导决定'));

  const id = `prompt-${p.key.replace(/[^a-z0-9-]/gi, '-')}`;
  const messages = h('div', { class: 'messages', 'aria-live': 'polite' });
  // A 约谈 may be of the unit itself (第十五条): a township prompted by its 信访/舆情 may have no item in handling.
  const unitItself = p.step === 'interview' && !p.itemId;
  const item = h('select', { id: `${id}-item` }, [
    ...candidates.map((i) => h('option', { value: i.id }, itemText(i))),
    unitItself && h('option', { value: UNIT_ITSELF }, `不针对具体督办事项：约谈${p.departmentName}主要负责人`),
  ]);
  const evidence = countedTextarea(`${id}-evidence`, EVIDENCE_LIMIT, 2);
  evidence.text.value = p.figures;
  const accept = actionButton({ class: 'btn btn-primary prompt-accept' }, `采纳：${p.stepLabel}`, messages, async () => {
    if (item.value === UNIT_ITSELF) {
      await post(`/api/departments/${encodeURIComponent(p.departmentId)}/interview-orders`, { reason: p.reason, evidence: evidence.text.value, promptKey: p.key });
      done(`已决定约谈${p.departmentName}主要负责人。平安办将安排约谈并发出约谈通知书。`);
      return;
    }
    await post(`/api/items/${item.value}/escalation-orders`, { step: p.step, reason: p.reason, evidence: evidence.text.value, promptKey: p.key });
    done(`已决定${p.stepLabel}：${p.departmentName}。该事项的流程将进入${p.stepLabel}环节。`);
  });
  const note = countedTextarea(`${id}-note`, 500, 2);
  note.text.placeholder = '不予采纳的说明（可不填）';
  const dismiss = actionButton({ class: 'btn prompt-dismiss' }, '不予采纳', messages, async () => {
    await post('/api/escalation-prompts/dismissal', note.text.value.trim() ? { promptKey: p.key, note: note.text.value.trim() } : { promptKey: p.key });
    done(`已不予采纳：${p.departmentName}${p.stepLabel}建议。`);
  });
  return h(
    'li',
    { 'data-prompt-key': p.key },
    head,
    candidates.length > 0 || unitItself
      ? [
          h('div', { class: 'field' }, h('label', { for: `${id}-item` }, '对哪一督办事项'), item),
          h('div', { class: 'field' }, h('label', { for: `${id}-evidence` }, '依据和事实'), evidence.text, evidence.counter),
          h('div', { class: 'form-actions' }, accept),
        ]
      : h('p', { class: 'muted' }, `${p.departmentName}目前没有可${p.stepLabel}的在办督办事项：须先立项督办，或不予采纳。`),
    h('div', { class: 'field' }, h('label', { for: `${id}-note` }, '说明'), note.text, note.counter),
    h('div', { class: 'form-actions' }, dismiss),
    messages,
  );
}

function orderForm(items: readonly ItemInHandling[], done: (text: string) => void): HTMLElement {
  const open = items.filter((i) => i.openSteps.length > 0);
  const messages = h('div', { class: 'messages', 'aria-live': 'polite' });
  const item = h('select', { id: 'order-item' }, open.map((i) => h('option', { value: i.id }, itemText(i))));
  const step = h('select', { id: 'order-step' });
  const reason = h('select', { id: 'order-reason' });
  const evidence = countedTextarea('order-evidence', EVIDENCE_LIMIT, 3);
  evidence.text.placeholder = '写明问题、事实和数据，如：连续两次催办仍未报送办理结果，群众多次来信反映';
  const fillSteps = () => {
    const chosen = open.find((i) => i.id === item.value);
    step.replaceChildren(...(chosen?.openSteps ?? []).map((s) => h('option', { value: s }, STEP_LABELS[s])));
    fillReasons();
  };
  const fillReasons = () => reason.replaceChildren(...reasonsOf(step.value as OrderedStep).map(([key, r]) => h('option', { value: key }, r.label)));
  item.addEventListener('change', fillSteps);
  step.addEventListener('change', fillReasons);
  fillSteps();
  const send = actionButton({ id: 'order-submit' }, '下达决定', messages, async () => {
    await post(`/api/items/${item.value}/escalation-orders`, { step: step.value, reason: reason.value, evidence: evidence.text.value });
    const chosen = open.find((i) => i.id === item.value)!;
    done(`已决定${STEP_LABELS[step.value as OrderedStep]}：${chosen.departmentName}「${chosen.title}」。`);
  });
  return h(
    'section',
    { class: 'card', id: 'escalation-order', 'aria-labelledby': 'escalation-order-title' },
    h('h2', { id: 'escalation-order-title' }, '决定约谈或挂牌督办'),
    open.length === 0
      ? h('p', { class: 'muted' }, '目前没有可约谈或挂牌督办的在办督办事项。')
      : [
          h('div', { class: 'field' }, h('label', { for: 'order-item' }, '督办事项'), item),
          h('div', { class: 'field' }, h('label', { for: 'order-step' }, '决定事项'), step),
          h('div', { class: 'field' }, h('label', { for: 'order-reason' }, '事由（第十五条）'), reason),
          h('div', { class: 'field' }, h('label', { for: 'order-evidence' }, '依据和事实'), evidence.text, evidence.counter),
          h('div', { class: 'form-actions' }, send),
          messages,
        ],
  );
}

/** 约谈 of a unit's principal without an item (第十五条): for a matter no item covers. */
function unitInterviewForm(units: readonly { id: string; name: string }[], done: (text: string) => void): HTMLElement {
  const messages = h('div', { class: 'messages', 'aria-live': 'polite' });
  const unit = h('select', { id: 'unit-interview-unit' }, units.map((u) => h('option', { value: u.id }, u.name)));
  const reason = h('select', { id: 'unit-interview-reason' }, reasonsOf('interview').map(([key, r]) => h('option', { value: key }, r.label)));
  const evidence = countedTextarea('unit-interview-evidence', EVIDENCE_LIMIT, 3);
  evidence.text.placeholder = '写明问题、事实和数据，如：本月信访 12 件，集中反映土地流转纠纷，群众多次联名反映';
  const send = actionButton({ id: 'unit-interview-submit' }, '决定约谈', messages, async () => {
    await post(`/api/departments/${encodeURIComponent(unit.value)}/interview-orders`, { reason: reason.value, evidence: evidence.text.value });
    done(`已决定约谈${units.find((u) => u.id === unit.value)?.name ?? unit.value}主要负责人。平安办将安排约谈并发出约谈通知书。`);
  });
  return h(
    'section',
    { class: 'card', id: 'unit-interview-order', 'aria-labelledby': 'unit-interview-title' },
    h('h2', { id: 'unit-interview-title' }, '约谈单位主要负责人（不针对具体督办事项）'),
    h('div', { class: 'field' }, h('label', { for: 'unit-interview-unit' }, '被约谈单位'), unit),
    h('div', { class: 'field' }, h('label', { for: 'unit-interview-reason' }, '事由（第十五条）'), reason),
    h('div', { class: 'field' }, h('label', { for: 'unit-interview-evidence' }, '依据和事实'), evidence.text, evidence.counter),
    h('div', { class: 'form-actions' }, send),
    messages,
  );
}

const DECISION_COLUMNS = ['时间', '单位', '决定', '事由', '督办事项', '依据和事实', '决定人'] as const;
type Cell = string | HTMLElement | (string | HTMLElement | false | null)[];

/** One decision of the table: its cells in DECISION_COLUMNS order, each labelled for the phone layout. */
const decisionRow = (attrs: Record<string, string>, cells: Cell[]) =>
  h('tr', attrs, cells.map((cell, i) => h('td', { 'data-label': DECISION_COLUMNS[i]! }, ...(Array.isArray(cell) ? cell : [cell]))));

function decisions(board: EscalationBoard): HTMLElement {
  const rows = [
    ...board.orders.map((o) => ({
      at: o.orderedAt,
      row: decisionRow({ 'data-order-id': o.id }, [
        formatDateTime(o.orderedAt),
        o.departmentName,
        [o.stepLabel, o.fromPrompt && h('div', { class: 'muted small' }, '采纳数据提示')],
        o.reasonLabel,
        o.itemTitle === null ? '（不针对具体督办事项）' : `${o.itemNumber ?? ''} ${o.itemTitle}`.trim(),
        o.evidence,
        o.orderedBy,
      ]),
    })),
    ...board.dismissed.map((d) => ({
      at: d.decidedAt,
      row: decisionRow({ 'data-prompt-key': d.promptKey }, [
        formatDateTime(d.decidedAt),
        d.departmentName,
        `不予采纳${d.stepLabel}建议`,
        d.reasonLabel,
        '—',
        [d.figures, d.note && h('div', { class: 'muted small' }, `说明：${d.note}`)],
        d.decidedBy,
      ]),
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  return h(
    'section',
    { class: 'card', id: 'escalation-decisions', 'aria-labelledby': 'escalation-decisions-title' },
    h('h2', { id: 'escalation-decisions-title' }, '已作出的决定'),
    rows.length === 0
      ? h('p', { class: 'muted' }, '尚无决定。')
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table responsive', id: 'escalation-decision-table' },
            h('caption', { class: 'sr-only' }, '约谈、挂牌督办的决定和不予采纳的建议，最近的在前'),
            h('thead', {}, h('tr', {}, DECISION_COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
            h('tbody', {}, rows.map((r) => r.row)),
          ),
        ),
  );
}
