import { describe, expect, it } from 'vitest';
import { selectAgenda, type AgendaInput, type ItemStatus, type NoticeStatus } from '../../src/domain/loop/agenda.ts';
import { createWorkCalendar } from '../../src/domain/loop/working-days.ts';

const cal = createWorkCalendar();
const rules = { reminderLeadWorkingDays: 3 };
const at = (s: string) => `${s}+08:00`;
const now = at('2025-07-15T09:00:00');

const notice = (over: Partial<NoticeStatus>): NoticeStatus => ({
  noticeId: 'n-1',
  noticeNumber: '唐法风〔2025〕1号',
  departmentId: 'rsj',
  dueDate: at('2025-03-10T18:00:00'),
  firstSubmittedAt: at('2025-03-07T10:00:00'),
  returnedCount: 0,
  ...over,
});

const item = (over: Partial<ItemStatus>): ItemStatus => ({
  itemId: 'i-1',
  itemNumber: '唐平督〔2025〕第001号',
  title: '清欠专项行动',
  leadDepartmentId: 'rsj',
  coDepartmentIds: [],
  deadline: at('2025-07-31T18:00:00'),
  history: [],
  ...over,
});

const input = (over: Partial<AgendaInput>): AgendaInput => ({ now, indicators: [], notices: [], items: [], ...over });

describe('joint meeting agenda', () => {
  it('when indicators are high or critical, then they are on the agenda, critical first, then by growth; low and medium are not', () => {
    const agenda = selectAgenda(
      input({
        indicators: [
          { indicatorId: 'B2', indicatorName: '民间借贷纠纷', regionId: 'county', regionName: '全县', level: 'high', yoyChange: 0.35, ownerDepartmentIds: ['jrj'] },
          { indicatorId: 'B5', indicatorName: '欠薪类案件', regionId: 'county', regionName: '全县', level: 'critical', yoyChange: 0.6, ownerDepartmentIds: ['rsj', 'zjj'] },
          { indicatorId: 'C1', indicatorName: '万人刑事案件数', regionId: 'county', regionName: '全县', level: 'medium', yoyChange: 0.2, ownerDepartmentIds: ['gaj'] },
          { indicatorId: 'C7', indicatorName: '农村基层矛盾', regionId: 'town-yuantan', regionName: '源潭镇', level: 'high', yoyChange: 0.5, ownerDepartmentIds: ['town-yuantan'] },
        ],
      }),
      rules,
      cal,
    );
    const entries = agenda.sections[0]!.entries;
    expect(entries.map((e) => e.refId)).toEqual(['B5@county', 'C7@town-yuantan', 'B2@county']);
    expect(entries[0]).toMatchObject({ title: '欠薪类案件（全县）', reason: '风险等级：极高，同比+60%', crossDepartment: true });
    expect(entries[2]!.crossDepartment).toBe(false);
  });

  it('when opinions came late, never came, or were returned, then they are on the agenda, the missing ones first; on-time ones are not', () => {
    const agenda = selectAgenda(
      input({
        notices: [
          notice({ noticeId: 'n-ontime' }),
          notice({ noticeId: 'n-late', firstSubmittedAt: at('2025-03-13T10:00:00') }),
          notice({ noticeId: 'n-missing', firstSubmittedAt: null }),
          notice({ noticeId: 'n-returned', returnedCount: 2 }),
          notice({ noticeId: 'n-notyetdue', firstSubmittedAt: null, dueDate: at('2025-07-30T18:00:00') }),
        ],
      }),
      rules,
      cal,
    );
    const entries = agenda.sections[1]!.entries;
    expect(entries.map((e) => e.refId)).toEqual(['n-missing', 'n-late', 'n-returned']);
    expect(entries[0]!.reason).toMatch(/^逾期未反馈工作意见（已逾期\d+个工作日）$/);
    expect(entries[1]!.reason).toBe('工作意见逾期3个工作日反馈');
    expect(entries[2]!.reason).toBe('工作意见被退回修改2次');
  });

  it('when items are overdue or escalated, then they are on the agenda with the working days overdue and the stage; finished and on-track items are not', () => {
    const agenda = selectAgenda(
      input({
        items: [
          item({ itemId: 'i-ontrack' }),
          item({ itemId: 'i-overdue', deadline: at('2025-07-08T18:00:00') }),
          item({
            itemId: 'i-red',
            deadline: at('2025-06-13T18:00:00'),
            coDepartmentIds: ['zjj'],
            history: [
              { kind: 'urge', at: at('2025-06-16T09:00:00') },
              { kind: 'yellow_card', at: at('2025-06-23T09:00:00') },
              { kind: 'red_card', at: at('2025-06-30T09:00:00') },
            ],
          }),
          item({ itemId: 'i-closed', deadline: at('2025-06-13T18:00:00'), closedAt: at('2025-06-20T10:00:00') }),
          item({ itemId: 'i-submitted', deadline: at('2025-07-10T18:00:00'), submittedAt: at('2025-07-09T10:00:00') }),
        ],
      }),
      rules,
      cal,
    );
    const entries = agenda.sections[2]!.entries;
    expect(entries.map((e) => e.refId)).toEqual(['i-red', 'i-overdue']);
    expect(entries[0]).toMatchObject({ reason: '已逾期22个工作日，当前：红牌', departmentIds: ['rsj', 'zjj'], crossDepartment: true });
    expect(entries[1]!.reason).toBe('已逾期5个工作日，当前：红灯');
    expect(agenda.total).toBe(2);
  });

  it('when nothing is high, late or overdue, then the agenda has its three sections and no entries', () => {
    const agenda = selectAgenda(input({}), rules, cal);
    expect(agenda.sections.map((s) => s.title)).toEqual([
      '一、高风险指标所涉领域基本情况及风险等级再评估',
      '二、工作意见反馈情况（逾期、未反馈、退回修改）',
      '三、逾期及办理不力的督办事项',
    ]);
    expect(agenda.total).toBe(0);
  });
});
