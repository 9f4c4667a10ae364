import { Checks } from './checks.ts';
import { numericDate, percent, lightName, lightTone, type Light } from './format.ts';
import type { Organs } from './inputs.ts';
import { labelAnnexes, type Block, type OfficialDocument } from './model.ts';
import { assertNoPersonalData } from './privacy.ts';

/**
 * 督办事项专报 (平安办 → 县委政法委主要负责同志 and 领导小组成员, policy 第十四条), DOMAIN.md §4.3:
 * 1) 总体情况 (registered / closed / in progress / overdue, on-time rate); 2) 亮灯表 by unit;
 * 3) 逾期及办理不力事项 with reasons; 4) 典型经验; 5) 下一步建议 (约谈/挂牌 proposals);
 * annex: the item ledger. Counts here are the office's own work items, not statistics about
 * people, so they are printed exactly (small-cell suppression applies to case-derived counts).
 */
export interface BulletinUnitRow {
  unit: string;
  total: number;
  closed: number;
  inProgress: number;
  overdue: number;
  closedOnTime: number;
  light: Light;
}

export interface BulletinInput {
  /** Issue number, e.g. 2026年第3期 (series `bulletin`). */
  number: string;
  issuedOn: string;
  organs: Organs;
  /** What the issue covers, e.g. "2026年11月". */
  periodLabel: string;
  /** Figures as of this date. */
  asOf: string;
  totals: { registered: number; closed: number; inProgress: number; overdue: number; closedOnTime: number };
  units: BulletinUnitRow[];
  /** 逾期及办理不力事项. */
  problemItems: { number: string; title: string; lead: string; deadline: string; daysOverdue: number; situation: string }[];
  goodPractices: string[];
  /** 下一步建议: 约谈 / 挂牌督办 / 通报批评 / 催办 proposals. */
  proposals: { measure: 'interview' | 'listing' | 'criticism' | 'urge'; unit: string; reason: string }[];
  /** Annex: every item registered. */
  ledger: { number: string; title: string; lead: string; coUnits: string[]; deadline: string; status: string; light: Light }[];
  /** 报: default [`${politicalLegal.short}主要负责同志`]. */
  reportTo?: string[];
  /** 送: default ["县平安建设领导小组成员"]. */
  sendTo?: string[];
  /** Unit ids that receive it by mail (the leaders' units). */
  recipientIds: string[];
}

/** 按期办结率 = 按期办结 ÷ (已办结 + 逾期未办结): items whose outcome is known by now. */
export function onTimeRate(t: { closed: number; overdue: number; closedOnTime: number }): string {
  const due = t.closed + t.overdue;
  return due === 0 ? '—' : percent(t.closedOnTime / due);
}

const measureText: Record<BulletinInput['proposals'][number]['measure'], (unit: string) => string> = {
  interview: (u) => `建议对${u}主要负责人进行约谈`,
  listing: (u) => `建议对${u}相关事项实行挂牌督办`,
  criticism: (u) => `建议对${u}予以书面通报批评`,
  urge: (u) => `建议向${u}发出催办通知书`,
};

export function buildSupervisionBulletin(input: BulletinInput): OfficialDocument {
  new Checks()
    .text('number', input.number)
    .date('issuedOn', input.issuedOn)
    .date('asOf', input.asOf)
    .text('periodLabel', input.periodLabel)
    .rule(
      !input.totals || input.totals.registered === input.totals.closed + input.totals.inProgress + input.totals.overdue,
      'totals',
      '登记立项数应等于已办结、正在办理、逾期未办结之和',
    )
    .done();

  const { organs, totals } = input;
  const units = [...input.units].sort((a, b) => lightRank(b.light) - lightRank(a.light) || b.overdue - a.overdue || a.unit.localeCompare(b.unit, 'zh-CN'));
  const lights = { red: 0, yellow: 0, green: 0 };
  for (const u of units) lights[u.light] += 1;

  const body: Block[] = [
    { type: 'heading', level: 1, text: '一、总体情况' },
    {
      type: 'paragraph',
      text: `截至${numericDate(input.asOf)}，共登记立项社会治理风险督办事项${totals.registered}件，已办结${totals.closed}件，正在办理${totals.inProgress}件，逾期未办结${totals.overdue}件，按期办结率${onTimeRate(totals)}。涉及承办单位${units.length}个，其中亮红灯${lights.red}个、亮黄灯${lights.yellow}个、亮绿灯${lights.green}个。`,
    },
    { type: 'heading', level: 1, text: '二、各单位办理情况' },
    {
      type: 'table',
      title: '各单位督办事项办理亮灯表',
      columns: [
        { header: '序号', width: 0.8, align: 'center' },
        { header: '承办单位', width: 3 },
        { header: '督办事项', width: 1.5, align: 'center' },
        { header: '已办结', width: 1.2, align: 'center' },
        { header: '办理中', width: 1.2, align: 'center' },
        { header: '逾期', width: 1, align: 'center' },
        { header: '按期办结率', width: 1.6, align: 'center' },
        { header: '亮灯', width: 1.1, align: 'center' },
      ],
      rows: units.map((u, i) => [
        String(i + 1),
        u.unit,
        String(u.total),
        String(u.closed),
        String(u.inProgress),
        String(u.overdue),
        onTimeRate(u),
        { text: lightName(u.light), tone: lightTone(u.light) },
      ]),
      note: '注：红灯为有逾期未办结事项，黄灯为有事项距办理时限不足3日或办理进度滞后，绿灯为按计划推进。',
    },
    { type: 'heading', level: 1, text: '三、逾期及办理不力事项' },
  ];
  if (input.problemItems.length === 0) {
    body.push({ type: 'paragraph', text: '本期无逾期或办理不力事项。' });
  } else {
    body.push({
      type: 'table',
      columns: [
        { header: '督办编号', width: 2.4 },
        { header: '事项名称', width: 3.2 },
        { header: '主办单位', width: 2.2 },
        { header: '办理时限', width: 1.8, align: 'center' },
        { header: '逾期天数', width: 1.1, align: 'center' },
        { header: '情况及原因', width: 3.2 },
      ],
      rows: input.problemItems.map((p) => [p.number, p.title, p.lead, numericDate(p.deadline), String(p.daysOverdue), p.situation]),
    });
  }
  body.push({ type: 'heading', level: 1, text: '四、典型经验' });
  if (input.goodPractices.length === 0) body.push({ type: 'paragraph', text: '本期暂无。' });
  input.goodPractices.forEach((g, i) => body.push({ type: 'paragraph', text: `${i + 1}. ${g}` }));
  body.push({ type: 'heading', level: 1, text: '五、下一步建议' });
  input.proposals.forEach((p, i) => body.push({ type: 'paragraph', text: `${i + 1}. ${measureText[p.measure](p.unit)}：${p.reason}。` }));
  body.push({
    type: 'paragraph',
    text: `${input.proposals.length + 1}. 对逾期事项继续实行一周一催办，对按期办结率低、办理不力的单位在年度平安建设考核中予以扣分（第十八条）。`,
  });

  return assertNoPersonalData({
    kind: 'supervision_bulletin',
    header: { style: 'bulletin', masthead: '督办事项专报', issue: input.number, organ: organs.peaceOffice.name, date: numericDate(input.issuedOn) },
    number: input.number,
    title: `${input.periodLabel}社会治理风险督办事项办理情况`,
    mainRecipients: [],
    body,
    annexes: labelAnnexes([
      {
        title: '督办事项台账',
        blocks: [
          {
            type: 'table',
            columns: [
              { header: '督办编号', width: 2.4 },
              { header: '事项名称', width: 3.4 },
              { header: '主办单位', width: 2.2 },
              { header: '协办单位', width: 2.2 },
              { header: '办理时限', width: 1.8, align: 'center' },
              { header: '状态', width: 1.2, align: 'center' },
              { header: '亮灯', width: 1, align: 'center' },
            ],
            rows: input.ledger.map((l) => [l.number, l.title, l.lead, l.coUnits.join('、') || '—', numericDate(l.deadline), l.status, { text: lightName(l.light), tone: lightTone(l.light) }]),
          },
        ],
      },
    ]),
    reportTo: input.reportTo ?? [`${organs.politicalLegal.short}主要负责同志`],
    sendTo: input.sendTo ?? ['县平安建设领导小组成员'],
    copyTo: [],
    imprint: { organ: organs.peaceOffice.name, date: numericDate(input.issuedOn) },
    audience: 'internal',
    meta: { issuedOn: input.issuedOn, to: input.recipientIds, cc: [] },
  });
}

function lightRank(light: Light): number {
  return light === 'red' ? 2 : light === 'yellow' ? 1 : 0;
}
