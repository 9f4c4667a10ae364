import { get } from '../app/api.ts';
import { h } from '../app/dom.ts';
import type { PageContext } from '../app/screens.ts';

interface Settings {
  loop: Record<string, number | string>;
  scoring: { baseScore: number; coUnitFactor: number; categories: Record<string, { points: number; cap: number; kind: string }>; labels: Record<string, string> };
  calendar: { annualRoundDate: string; halfYearRoundDate: string; jointMeetingDates: string[]; bulletinDayOfMonth: number; startTime: string; enabled: boolean };
}

const loopLabels: Record<string, string> = {
  noticeFeedbackWorkingDays: '风险提示函反馈时限（工作日）',
  revisionWorkingDays: '退回修改时限（工作日）',
  officeReviewWorkingDays: '平安办审核时限（工作日）',
  courtReviewWorkingDays: '法院审核时限（工作日）',
  leaderApprovalWorkingDays: '领导审批时限（工作日）',
  reminderLeadWorkingDays: '临近提醒提前（工作日）',
  urgeAfterWorkingDays: '到期后催办（工作日）',
  yellowCardAfterUrgeWorkingDays: '催办后黄牌（工作日）',
  redCardAfterYellowCardWorkingDays: '黄牌后红牌（工作日）',
  signWorkingDays: '签收时限（工作日）',
  interviewWorkingDays: '约谈时限（工作日）',
  rectificationWorkingDays: '约谈整改时限（工作日）',
  listingPeriodMonths: '挂牌督办期限（月）',
  acceptanceWorkingDays: '验收时限（工作日）',
  extensionReviewWorkingDays: '延期审核时限（工作日）',
};

/**
 * 运行配置 (read-only): the durations, dates and scoring in force. They are changed in the
 * environment (LOOP_SETTINGS, SCORING_RULES, ANNUAL_ROUND_DATE, …) and take effect at restart;
 * `npm run dry-run` shows a county year under new values first.
 */
export async function render(ctx: PageContext): Promise<void> {
  const s = await get<Settings>('/api/admin/settings');
  const rows = (pairs: [string, string][]) => h('dl', { class: 'facts' }, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  ctx.outlet.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '运行配置')),
    h(
      'div',
      { class: 'alert alert-info' },
      '以下为当前生效的配置。修改请在部署环境中设置 ',
      h('code', {}, 'LOOP_SETTINGS'),
      '、',
      h('code', {}, 'SCORING_RULES'),
      '、',
      h('code', {}, 'ANNUAL_ROUND_DATE'),
      ' 等配置项并重启；修改前可运行 ',
      h('code', {}, 'npm run dry-run'),
      ' 演练一个年度的效果。',
    ),
    h(
      'section',
      { class: 'card', id: 'settings-calendar' },
      h('h2', {}, '闭环日历'),
      rows([
        ['自动启动', s.calendar.enabled ? '开启' : '关闭'],
        ['年度评估', `每年 ${s.calendar.annualRoundDate}`],
        ['半年评估', `每年 ${s.calendar.halfYearRoundDate}`],
        ['联席会议', s.calendar.jointMeetingDates.join('、')],
        ['督办专报', `每月 ${s.calendar.bulletinDayOfMonth} 日`],
        ['启动时间', s.calendar.startTime],
      ]),
    ),
    h('section', { class: 'card', id: 'settings-loop' }, h('h2', {}, '办理时限与督办升级'), rows(Object.entries(loopLabels).filter(([k]) => k in s.loop).map(([k, label]) => [label, String(s.loop[k])]))),
    h(
      'section',
      { class: 'card', id: 'settings-scoring' },
      h('h2', {}, '年度考核计分'),
      rows([
        ['基础分', String(s.scoring.baseScore)],
        ['协办单位承担比例', String(s.scoring.coUnitFactor)],
        ...Object.entries(s.scoring.categories).map(([k, c]): [string, string] => [
          s.scoring.labels[k] ?? k,
          `${c.kind === 'bonus' ? '加' : '扣'} ${c.points} 分/次，上限 ${c.cap} 分`,
        ]),
      ]),
    ),
  );
}
