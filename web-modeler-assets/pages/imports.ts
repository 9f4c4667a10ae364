import { get, post, qs } from '../app/api.ts';
import { append, busy, clear, errorBox, h, loading } from '../app/dom.ts';
import type { PageContext } from '../app/screens.ts';

interface ImportSummary {
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  maskedCells: number;
  droppedColumns: string[];
  encoding: string;
}

/** What can be uploaded: the case export, or one of the side tables (the API's template kinds). */
const DATA_KINDS = [
  { route: 'cases', label: '案件数据' },
  { route: 'population', label: '乡镇人口（年度）' },
  { route: 'signals', label: '乡镇信访舆情（月度）' },
  { route: 'causes', label: '案由目录' },
] as const;

interface ColumnGuide {
  header: string;
  key: string;
  required: boolean;
  format: string;
  example: string;
}

interface ImportTemplate {
  label: string;
  columns: ColumnGuide[];
  notes: string[];
}

/** The chosen kind's templates to download and what each column may hold, from the same definitions the importer checks. */
function templateGuide(kind: string, t: ImportTemplate): HTMLElement {
  const link = (format: string) =>
    h('a', { class: 'btn btn-small', href: `/api/imports/templates/${encodeURIComponent(kind)}/file` + qs({ format }), download: '', 'data-template': format }, `下载 ${format.toUpperCase()} 模板`);
  return h(
    'div',
    {},
    h('p', { class: 'toolbar' }, h('span', {}, `${t.label}导入模板：`), link('xlsx'), link('csv'), h('span', { class: 'muted small' }, '模板中的示例行可直接导入，请替换为实际数据。')),
    // The catalogue is extended, not rewritten: the clerk starts from the causes it already holds.
    kind === 'causes'
      ? h('p', { class: 'toolbar' }, h('a', { class: 'btn btn-small', href: '/api/imports/causes/file', download: '', id: 'cause-catalogue' }, '下载现有案由目录（CSV）'), h('span', { class: 'muted small' }, '在现有目录中增补案由后整体导入，未变的行不受影响。'))
      : null,
    h(
      'details',
      {},
      h('summary', {}, `列说明（${t.columns.length} 列，必填 ${t.columns.filter((c) => c.required).length} 列）`),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table', 'aria-label': `${t.label}列说明` },
          h('thead', {}, h('tr', {}, ['列名', '英文列名', '必填', '填写要求', '示例'].map((c) => h('th', { scope: 'col' }, c)))),
          h(
            'tbody',
            {},
            t.columns.map((c) => h('tr', {}, h('th', { scope: 'row' }, c.header), h('td', {}, c.key), h('td', {}, c.required ? '必填' : '选填'), h('td', {}, c.format), h('td', {}, c.example))),
          ),
        ),
      ),
      h('ul', { class: 'small' }, t.notes.map((n) => h('li', {}, n))),
    ),
  );
}

type CoverageStatus = 'covered' | 'partial' | 'none';

interface Coverage {
  months: string[];
  townships: { id: string; name: string }[];
  status: CoverageStatus[][];
}

const STATUS_TEXT: Record<CoverageStatus, string> = { covered: '有', partial: '部分', none: '无' };

/**
 * The coverage grid, one table per year (newest first, older years folded): which months of which
 * townships have case data, so a month without data is not read as a month without cases.
 */
function coverageTables(c: Coverage): HTMLElement {
  if (c.months.length === 0) return h('p', { class: 'muted' }, '尚未导入案件数据。');
  const years = [...new Set(c.months.map((m) => m.slice(0, 4)))].reverse();
  return h(
    'div',
    {},
    years.map((year, i) => {
      const columns = c.months.map((m, index) => ({ m, index })).filter(({ m }) => m.startsWith(year));
      const table = h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table coverage', 'aria-label': `${year}年案件数据覆盖情况` },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '乡镇（街道）'), columns.map(({ m }) => h('th', { scope: 'col' }, `${Number(m.slice(5, 7))}月`)))),
          h(
            'tbody',
            {},
            c.townships.map((t, row) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, t.name),
                columns.map(({ m, index }) => {
                  const status = c.status[row]![index]!;
                  return h('td', { class: `coverage-${status}`, 'data-month': m, 'data-township': t.id }, STATUS_TEXT[status]);
                }),
              ),
            ),
          ),
        ),
      );
      return h('details', { open: i === 0 }, h('summary', {}, `${year}年`), table);
    }),
  );
}

/**
 * 数据导入与评估: the court uploads its case export or a side table (CSV in UTF-8 or GBK, XLSX,
 * JSON; all or nothing, personal data masked before it is stored) and starts an assessment round
 * by hand; the office may start a round too. The calendar starts rounds on their dates without this page.
 */
export async function render(ctx: PageContext): Promise<void> {
  const mayImport = ctx.user.roles.some((r) => r === 'court_analyst' || r === 'admin');
  const mayStart = ctx.user.roles.some((r) => r === 'court_analyst' || r === 'peace_office');
  ctx.outlet.append(h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '数据导入与评估')));

  if (mayImport) {
    const grid = h('div', { id: 'coverage-grid', 'aria-live': 'polite' }, loading());
    const showCoverage = async () => {
      try {
        const c = await get<Coverage>('/api/imports/coverage');
        grid.replaceChildren(coverageTables(c));
      } catch (error) {
        grid.replaceChildren(errorBox(error));
      }
    };
    const messages = h('div', { class: 'messages', id: 'import-result', 'aria-live': 'polite' });
    const picker = h('input', { type: 'file', id: 'import-file', class: 'sr-only', accept: '.csv,.xlsx,.json' });
    const chosen = h('span', { class: 'muted small' }, '未选择文件');
    picker.addEventListener('change', () => (chosen.textContent = picker.files?.[0]?.name ?? '未选择文件'));
    const encoding = h('select', { id: 'import-encoding' }, [['', '自动识别'], ['utf-8', 'UTF-8'], ['gb18030', 'GBK / GB18030']].map(([v, l]) => h('option', { value: v }, l)));
    const kind = h('select', { id: 'import-kind' }, DATA_KINDS.map((k) => h('option', { value: k.route }, k.label)));
    const expected = h('div', { id: 'import-template' });
    const showTemplate = async () => {
      const chosen = kind.value;
      try {
        const t = await get<ImportTemplate>(`/api/imports/templates/${encodeURIComponent(chosen)}`);
        if (kind.value === chosen) expected.replaceChildren(templateGuide(chosen, t));
      } catch (error) {
        expected.replaceChildren(errorBox(error));
      }
    };
    kind.addEventListener('change', () => void showTemplate());
    const upload = h('button', { type: 'button', class: 'btn btn-primary', id: 'import-submit' }, '导入');
    upload.addEventListener(
      'click',
      busy(upload, messages, async () => {
        const file = picker.files?.[0];
        if (!file) throw new Error('请先选择要导入的文件');
        const format = file.name.split('.').pop()?.toLowerCase() ?? '';
        const s = await post<ImportSummary>(`/api/imports/${kind.value}` + qs({ fileName: file.name, format, encoding: encoding.value || undefined }), file);
        clear(messages);
        append(messages, [
          h(
            'div',
            { class: 'alert alert-success', role: 'status' },
            `导入完成：读取 ${s.rowsRead} 行，新增 ${s.inserted}，更新 ${s.updated}，未变 ${s.unchanged}；脱敏 ${s.maskedCells} 处（编码 ${s.encoding}）`,
          ),
          s.droppedColumns.length > 0 && h('p', {}, `已丢弃的个人信息列：${s.droppedColumns.join('、')}`),
        ]);
        await showCoverage();
      }, { file: '文件', '(文件)': '文件', fileName: '文件名', format: '文件格式', encoding: '编码', kind: '数据类别' }),
    );
    ctx.outlet.append(
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'import-title' },
        h('h2', { id: 'import-title' }, '导入数据'),
        h('p', { class: 'muted' }, 'CSV（UTF-8 或 GBK）、XLSX 或 JSON；任何一行有误则整个文件不导入，并列出每一处错误。姓名、身份证号、电话等个人信息在入库前去除或脱敏。'),
        h(
          'div',
          { class: 'toolbar' },
          h('label', { for: 'import-kind' }, '数据类别'),
          kind,
          picker,
          h('label', { for: 'import-file', class: 'btn btn-small' }, '选择文件'),
          chosen,
          h('label', { for: 'import-encoding' }, '编码'),
          encoding,
          upload,
        ),
        expected,
        messages,
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'coverage-title' },
        h('h2', { id: 'coverage-title' }, '案件数据覆盖情况'),
        h(
          'p',
          { class: 'muted' },
          '按各次导入文件的立案日期范围和各乡镇（街道）的数据行数统计：“有”表示该月数据已完整导入，“部分”表示只导入了该月部分日期，“无”表示未导入。未导入的月份不计为零，不参与同比和近三年均值。',
        ),
        grid,
      ),
    );
    void showTemplate();
    void showCoverage();
  }

  if (mayStart) {
    const messages = h('div', { class: 'messages', id: 'round-result', 'aria-live': 'polite' });
    const kind = h('select', { id: 'round-kind' }, h('option', { value: 'half_year' }, '半年评估（1–6 月）'), h('option', { value: 'annual' }, '年度评估'));
    const year = h('input', { id: 'round-year', type: 'number', min: '2000', max: '2100', value: String(new Date().getFullYear() - 1) });
    const roundId = h('input', { id: 'round-id', maxlength: '24', placeholder: '默认如 2025-H1' });
    const start = h('button', { type: 'button', class: 'btn btn-primary', id: 'round-start' }, '启动评估');
    start.addEventListener(
      'click',
      busy(start, messages, async () => {
        const r = await post<{ roundId: string }>('/api/rounds', { roundKind: kind.value, year: Number(year.value), ...(roundId.value.trim() ? { roundId: roundId.value.trim() } : {}) });
        clear(messages);
        messages.append(h('div', { class: 'alert alert-success', role: 'status' }, `已启动评估轮次 ${r.roundId}：指标计算完成后，法院审核评估报告的待办将出现在待办中。`));
      }, { roundKind: '轮次类型', year: '年度', roundId: '轮次编号' }),
    );
    ctx.outlet.append(
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'round-title' },
        h('h2', { id: 'round-title' }, '人工启动评估轮次'),
        h('div', { class: 'toolbar' }, h('label', { for: 'round-kind' }, '类型'), kind, h('label', { for: 'round-year' }, '年度'), year, h('label', { for: 'round-id' }, '轮次编号（可选）'), roundId, start),
        messages,
      ),
    );
  }
}
