import { ApiError, get, post } from '../app/api.ts';
import { append, busy, clear, errorBox, h, notice } from '../app/dom.ts';
import type { Cleanup, PageContext } from '../app/screens.ts';
import type { ElementChange, LintProblem, ProcessDiff, ProcessInfo } from '../app/types.ts';
import { blankDiagram, createModeler } from '../modeler.ts';

interface CheckResult {
  problems: LintProblem[];
  diffs: ProcessDiff[];
}

/**
 * 流程建模 (admins): edit a diagram in Camunda's modeler with its properties panel, see the
 * bpmnlint problems (the server's rules, in Chinese) and the difference from the deployed
 * version, then deploy it as a new version (refused while errors remain; audit-logged).
 */
export async function render(ctx: PageContext): Promise<Cleanup | void> {
  const processes = await get<ProcessInfo[]>('/api/processes');
  const requested = ctx.params.processId;

  const select = h(
    'select',
    { id: 'modeler-process' },
    h('option', { value: '' }, '（选择已部署的流程）'),
    processes.map((p) => h('option', { value: p.id, selected: p.id === requested }, `${p.name}（${p.id}）`)),
  );
  select.addEventListener('change', () => select.value && ctx.navigate(`/admin/modeler/${encodeURIComponent(select.value)}`));
  const newButton = h('button', { type: 'button', class: 'btn' }, '新建流程');
  const fileInput = h('input', { type: 'file', accept: '.bpmn,.xml,application/xml,text/xml', id: 'modeler-file', class: 'sr-only' });
  const importLabel = h('label', { for: 'modeler-file', class: 'btn', tabindex: '0', role: 'button' }, '导入文件');
  const downloadButton = h('button', { type: 'button', class: 'btn' }, '下载 .bpmn');
  const checkButton = h('button', { type: 'button', class: 'btn', id: 'modeler-check' }, '检查');
  const deployButton = h('button', { type: 'button', class: 'btn btn-primary', id: 'modeler-deploy' }, '部署新版本');
  const status = h('span', { class: 'muted small', id: 'modeler-status', 'aria-live': 'polite' });
  const messages = h('div', { class: 'messages', 'aria-live': 'assertive' });
  // One line above the canvas, so problems and changes are seen before deploying without scrolling.
  const summary = h('div', { class: 'review-summary', id: 'modeler-summary', 'aria-live': 'polite' });
  const problemsBox = h('section', { class: 'card review', id: 'modeler-problems', 'aria-labelledby': 'problems-title' });
  const diffBox = h('section', { class: 'card review', id: 'modeler-diff', 'aria-labelledby': 'diff-title' });
  const canvasHost = h('div', { class: 'modeler-canvas', id: 'modeler-canvas', tabindex: '0', 'aria-label': 'BPMN 画布：可用键盘快捷键编辑' });
  const panelHost = h('div', { class: 'modeler-panel', id: 'modeler-panel', 'aria-label': '属性面板' });

  ctx.outlet.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '流程建模'), status),
    h(
      'div',
      { class: 'toolbar wrap' },
      h('label', { for: 'modeler-process' }, '流程'),
      select,
      newButton,
      importLabel,
      fileInput,
      downloadButton,
      h('span', { class: 'spacer' }),
      checkButton,
      deployButton,
    ),
    summary,
    messages,
    h('div', { class: 'modeler-layout' }, canvasHost, panelHost),
    h('div', { class: 'review-grid' }, problemsBox, diffBox),
  );

  const modeler = createModeler(canvasHost, panelHost);
  let last: CheckResult | null = null;
  let dirty = false;
  let timer: number | undefined;

  const renderReview = (result: CheckResult | null, pending = false) => {
    clear(problemsBox);
    clear(diffBox);
    problemsBox.append(h('h2', { id: 'problems-title' }, '检查结果'));
    diffBox.append(h('h2', { id: 'diff-title' }, '与已部署版本的差异'));
    clear(summary);
    if (!result) {
      problemsBox.append(h('p', { class: 'muted' }, pending ? '正在检查…' : '尚未检查。'));
      summary.append(h('span', { class: 'muted' }, pending ? '正在检查…' : '尚未检查'));
      return;
    }
    const errors = result.problems.filter((p) => p.severity === 'error');
    const warnings = result.problems.filter((p) => p.severity === 'warning');
    const changes = result.diffs.reduce((n, d) => ({ added: n.added + d.added.length, removed: n.removed + d.removed.length, changed: n.changed + d.changed.length }), {
      added: 0,
      removed: 0,
      changed: 0,
    });
    const toProblems = h('button', { type: 'button', class: 'linklike' }, errors.length + warnings.length === 0 ? '检查通过' : `${errors.length} 个错误，${warnings.length} 个警告`);
    toProblems.addEventListener('click', () => problemsBox.scrollIntoView({ behavior: 'smooth', block: 'start' }));
    const toDiff = h('button', { type: 'button', class: 'linklike' }, `新增 ${changes.added}、删除 ${changes.removed}、修改 ${changes.changed}`);
    toDiff.addEventListener('click', () => diffBox.scrollIntoView({ behavior: 'smooth', block: 'start' }));
    summary.append(
      h('span', { class: `tag ${errors.length ? 'tag-red' : warnings.length ? 'tag-yellow' : 'tag-green'}` }, errors.length ? '不能部署' : '可以部署'),
      ' 检查：',
      toProblems,
      ' · 与已部署版本相比：',
      toDiff,
    );
    append(problemsBox, [
      result.problems.length === 0
        ? notice('没有发现问题，可以部署。', 'success')
        : h('p', { class: errors.length ? 'text-red' : 'text-yellow' }, `${errors.length} 个错误，${warnings.length} 个警告${errors.length ? '：错误改正后才能部署。' : '。'}`),
      result.problems.length > 0 &&
        h(
          'ul',
          { class: 'plain problem-list' },
          result.problems.map((p) => {
            const link = h('button', { type: 'button', class: 'linklike', title: p.detail }, p.message);
            link.addEventListener('click', () => p.elementId && modeler.focus(p.elementId));
            return h('li', { class: `problem problem-${p.severity}` }, h('span', { class: `tag ${p.severity === 'error' ? 'tag-red' : 'tag-yellow'}` }, p.severity === 'error' ? '错误' : '警告'), link);
          }),
        ),
    ]);
    for (const d of result.diffs) {
      const base = d.baseVersion ? `第 ${d.baseVersion} 版` : d.baseSource === 'file' ? '启动时部署的版本' : null;
      diffBox.append(h('h3', {}, `${d.processName}（${d.processId}）`), h('p', { class: 'muted small' }, base ? `对比：${base}` : '该流程尚未部署，部署后为第 1 版。'));
      const total = d.added.length + d.removed.length + d.changed.length;
      if (base && total === 0) diffBox.append(h('p', {}, '与已部署版本相同。'));
      append(diffBox, [
        diffList('新增', 'added', d.added, modeler.focus),
        diffList('删除', 'removed', d.removed, () => false),
        diffList('修改', 'changed', d.changed, modeler.focus),
      ]);
    }
    modeler.mark([
      ...result.problems.filter((p) => p.elementId).map((p) => ({ elementId: p.elementId!, marker: `rl-lint-${p.severity}` })),
      ...result.diffs.flatMap((d) => [...d.added.map((e) => ({ elementId: e.id, marker: 'rl-diff-added' })), ...d.changed.map((e) => ({ elementId: e.id, marker: 'rl-diff-changed' }))]),
    ]);
  };

  const check = async () => {
    window.clearTimeout(timer);
    renderReview(last, true);
    const result = await post<CheckResult>('/api/admin/deployments/check', { xml: await modeler.xml() });
    last = result;
    dirty = false;
    renderReview(result);
    // Edits that end where they began (moved and moved back) leave nothing to deploy: say so.
    const unchanged = result.diffs.every((d) => (d.baseVersion || d.baseSource === 'file') && d.added.length + d.removed.length + d.changed.length === 0);
    if (unchanged && status.textContent === '有未部署的修改') status.textContent = '与已部署版本相同，没有未部署的修改';
  };
  const checkQuietly = () =>
    check().catch((error: unknown) => {
      clear(messages);
      messages.append(errorBox(error));
    });

  const open = async (xml: string, label: string) => {
    clear(messages);
    try {
      await modeler.open(xml);
    } catch (error) {
      messages.append(errorBox(new ApiError(0, 'import', `无法打开流程图：${(error as Error).message}`)));
      return;
    }
    status.textContent = label;
    last = null;
    await checkQuietly();
  };

  modeler.onChange(() => {
    dirty = true;
    status.textContent = '有未部署的修改';
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void checkQuietly(), 1200);
  });

  checkButton.addEventListener('click', busy(checkButton, messages, check));
  deployButton.addEventListener(
    'click',
    busy(deployButton, messages, async () => {
      if (dirty || !last) await check();
      const result = last!;
      const errors = result.problems.filter((p) => p.severity === 'error').length;
      if (errors > 0) {
        messages.append(h('div', { class: 'alert alert-error', role: 'alert' }, `还有 ${errors} 个错误，改正后才能部署。`));
        problemsBox.scrollIntoView({ block: 'nearest' });
        return;
      }
      const proc = modeler.process();
      if (!proc) throw new ApiError(0, 'client', '图中没有流程');
      const d = result.diffs.find((x) => x.processId === proc.id);
      const summary = d ? `新增 ${d.added.length}、删除 ${d.removed.length}、修改 ${d.changed.length} 个元素` : '';
      if (!window.confirm(`确定将“${proc.name}”部署为新版本？${summary}\n部署后新启动的流程实例将使用新版本。`)) return;
      const deployed = await post<{ processes: { id: string; version: number }[] }>('/api/admin/deployments', { name: `${proc.id}.bpmn`, xml: await modeler.xml() });
      const versions = deployed.processes.map((p) => `${p.id} 第 ${p.version} 版`).join('、');
      messages.append(notice(`已部署：${versions}`, 'success'));
      status.textContent = `已部署 ${versions}`;
      await check();
    }),
  );
  newButton.addEventListener('click', () => {
    const id = `process-${Date.now().toString(36)}`;
    select.value = '';
    void open(blankDiagram(id, '新流程'), `新流程 ${id}（未部署）`);
  });
  importLabel.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      fileInput.click();
    }
  });
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    void file.text().then((xml) => open(xml, `已导入 ${file.name}（未部署）`));
    fileInput.value = '';
  });
  downloadButton.addEventListener('click', () => {
    void modeler.xml().then((xml) => {
      const url = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
      const a = h('a', { href: url, download: `${modeler.process()?.id ?? 'diagram'}.bpmn` });
      document.body.append(a);
      a.click();
      a.remove();
      URL.revokeObjectURL(url);
    });
  });

  renderReview(null);
  const initial = requested ?? processes[0]?.id;
  if (initial) {
    try {
      const deployed = await get<{ id: string; name: string; version: number | null; xml: string }>(`/api/processes/${encodeURIComponent(initial)}/xml`);
      select.value = initial;
      await open(deployed.xml, `${deployed.name}${deployed.version ? ' · 已部署第 ' + deployed.version + ' 版' : ' · 已部署版本'}`);
    } catch (error) {
      messages.append(errorBox(error));
    }
  } else {
    const id = `process-${Date.now().toString(36)}`;
    await open(blankDiagram(id, '新流程'), `新流程 ${id}（未部署）`);
  }

  return () => {
    window.clearTimeout(timer);
    modeler.destroy();
  };
}

function diffList(title: string, kind: string, items: ElementChange[], focus: (id: string) => boolean): HTMLElement | null {
  if (items.length === 0) return null;
  return h(
    'div',
    { class: `diff diff-${kind}` },
    h('h4', {}, `${title}（${items.length}）`),
    h(
      'ul',
      { class: 'plain' },
      items.map((e) => {
        const label = `${e.name ?? e.id}（${e.type}${e.name ? ' · ' + e.id : ''}）${e.aspects ? '：' + e.aspects.join('、') : ''}`;
        if (kind === 'removed') return h('li', {}, label);
        const b = h('button', { type: 'button', class: 'linklike' }, label);
        b.addEventListener('click', () => focus(e.id));
        return h('li', {}, b);
      }),
    ),
  );
}
