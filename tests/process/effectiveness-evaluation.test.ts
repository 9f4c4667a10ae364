import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerDefinitions } from '../../workers/registry.ts';
import { ensureCountyData } from '../support/case-data.ts';
import { eventually } from '../support/engine.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { workflowActors } from '../support/workflow.ts';

/**
 * The February evaluation of 2025 (第十六条–第十九条) on the real engine, over the annual rounds of
 * 2024 and 2025 of the generated county: last year's high-risk indicators classified, deductions
 * computed with their evidence, the office confirms, the score sheet and the public report are
 * published once, the seminar is announced once.
 */
describe('effectiveness evaluation', () => {
  let system: TestSystem;
  let instance = '';

  const { as, openTaskOf } = workflowActors(() => system);
  const openTask = (elementId: string) => openTaskOf('effectiveness-evaluation', elementId);

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    await ensureCountyData(system.services.db);
    for (const year of [2024, 2025]) {
      await system.services.rounds.computeIndicators({ roundId: `${year}-Y`, roundKind: 'annual', year, periodStart: `${year}-01-01`, periodEnd: `${year}-12-31` }, '0');
    }
    await system.engine.deployProcesses(path.resolve('bpmn'), ['effectiveness-evaluation']);
    system.startWorkers(workerDefinitions);
  });

  afterAll(async () => {
    if (instance) await system?.engine.cancelProcessInstance(instance).catch(() => undefined);
    await system?.engine.resetClock();
    await system?.stop();
  });

  it('when February comes, then outcomes, deductions, the score sheet, the public report and the seminar follow, each once', async () => {
    const { db } = system.services;
    await system.engine.pinClock(new Date('2026-02-24T01:00:00Z'));
    await system.engine.publishMessage({ name: 'start-effectiveness-evaluation', correlationKey: '2025', messageId: 'evaluation:2025:test', timeToLiveMs: 0, variables: { evaluationYear: 2025 } });
    const office = await as('peace_office', 'pab');
    const confirm = await openTask('confirm');
    instance = confirm.process_instance_key;

    const [evaluation] = await db.query(`SELECT outcomes FROM effectiveness_evaluation WHERE year = 2025`);
    expect(evaluation.outcomes.length).toBeGreaterThan(0);
    for (const o of evaluation.outcomes) expect(['resolved', 'improved', 'unchanged', 'worse']).toContain(o.outcome);
    const deductions = await db.query<{ department_id: string; points: string; evidence: unknown[] }[]>(`SELECT department_id, points, evidence FROM deduction WHERE year = 2025`);
    for (const d of deductions) expect(d.evidence.length).toBeGreaterThan(0);
    expect(deductions.some((d) => d.department_id === 'court')).toBe(false);

    // The confirmation names the year and shows how many deductions over how many units it confirms (issue 21 point 1).
    const confirmView = (await office.request('GET', `/api/tasks/${confirm.key}`)).body;
    expect(confirmView.subject).toMatchObject({ kind: '成效评价', number: '2025年度', document: null });
    expect({ year: confirmView.variables.evaluationYear, deductions: confirmView.variables.deductionCount, units: confirmView.variables.unitCount }).toEqual({
      year: 2025,
      deductions: deductions.length,
      units: new Set(deductions.map((d) => d.department_id)).size,
    });
    expect((await office.request('POST', `/api/tasks/${confirm.key}/complete`, { variables: { scoreSheetDecision: 'confirm', scoreCorrections: null } })).status).toBe(200);
    const seminar = await openTask('planSeminar');
    expect(
      (await office.request('POST', `/api/tasks/${seminar.key}/complete`, {
        variables: {
          seminarDate: '2026-03-10',
          seminarVenue: '县委会议中心',
          seminarTopics: '民间借贷风险防控成效',
          seminarExperts: [
            { expertName: '陈研究员', expertOrganisation: '最高人民法院中国司法大数据研究院 研究员', expertEmail: 'expert.chen@example.org' },
            { expertName: '刘教授', expertOrganisation: '郑州大学法学院 教授', expertEmail: 'expert.liu@example.org' },
          ],
        },
      })).status,
    ).toBe(200);
    // The invitation: one letter naming both experts, one mail to each (no one sees another's address) and one to the leadership.
    const invitations = await eventually(async () => {
      const rows = await db.query<{ recipients: string[]; attachments: { filename: string }[] }[]>(`SELECT recipients, attachments FROM outbox WHERE dedup_key LIKE 'seminar:2025:expert:%' ORDER BY dedup_key`);
      return rows.length === 2 ? rows : undefined;
    }, 'the invitations');
    expect(invitations.map((m) => m.recipients)).toEqual([['expert.chen@example.org'], ['expert.liu@example.org']]);
    expect(invitations[0]!.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/邀请出席2025年度县域社会治理成效研讨会的函\.pdf$/)]);
    const [letter] = await db.query(`SELECT text_body FROM document WHERE kind = 'seminar_invitation' ORDER BY created_at DESC LIMIT 1`);
    expect(letter.text_body).toContain('四、邀请专家：陈研究员（最高人民法院中国司法大数据研究院 研究员）、刘教授（郑州大学法学院 教授）。');
    expect(letter.text_body).not.toContain('@');

    // The seminar's day passes: the office records who came and what was concluded; the evaluation ends.
    await system.engine.pinClock(new Date('2026-03-10T10:30:00Z'));
    const record = await openTask('recordSeminar');
    const recordView = (await office.request('GET', `/api/tasks/${record.key}`)).body;
    expect(recordView.variables.seminarExpertOptions).toEqual([
      { label: '陈研究员（最高人民法院中国司法大数据研究院 研究员）', value: '陈研究员' },
      { label: '刘教授（郑州大学法学院 教授）', value: '刘教授' },
    ]);
    const recorded = await office.request('POST', `/api/tasks/${record.key}/complete`, {
      variables: { seminarAttended: ['陈研究员'], seminarOtherAttendees: '县委政法委、县法院', seminarConclusions: '民间借贷风险明显回落，闭环机制有效', seminarRecommendations: '增加诉源治理类指标' },
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    await eventually(async () => (await db.query(`SELECT state FROM engine_process_instance WHERE key = $1`, [instance]))[0]?.state === 'COMPLETED', 'the evaluation to finish', 60_000);
    instance = '';
    const [{ seminar: kept }] = await db.query(`SELECT seminar FROM effectiveness_evaluation WHERE year = 2025`);
    expect(kept.plan.experts).toHaveLength(2);
    expect(kept.record).toEqual({ attended: ['陈研究员'], otherAttendees: '县委政法委、县法院', conclusions: '民间借贷风险明显回落，闭环机制有效', recommendations: '增加诉源治理类指标' });

    const [published] = await db.query(`SELECT published_at, seminar_on, score_sheet_document_id, public_report_document_id FROM effectiveness_evaluation WHERE year = 2025`);
    expect(published.published_at).not.toBeNull();
    expect(published.seminar_on).not.toBeNull();
    const docs = await db.query<{ kind: string }[]>(`SELECT kind FROM document WHERE id IN ($1, $2) ORDER BY kind`, [published.score_sheet_document_id, published.public_report_document_id]);
    expect(docs.map((d) => d.kind)).toEqual(['public_report', 'score_sheet']);
    // The sheet's 依据 are 督办编号、文号 and indicators, never record ids.
    const [sheet] = await db.query<{ text_body: string }[]>(`SELECT text_body FROM document WHERE id = $1`, [published.score_sheet_document_id]);
    expect(sheet!.text_body).not.toMatch(/(supervision_item|risk_notice|interview|outcome|escalation_event):/);
    const subjects = deductions.map((d) => (d.evidence as { kind: string; id: string }[])[0]!);
    expect(subjects.length).toBeGreaterThan(0);
    for (const s of subjects.filter((x) => x.kind === 'outcome')) expect(sheet!.text_body).toContain(s.id.split(':')[1]!);
    const items = subjects.filter((x) => x.kind === 'supervision_item').map((x) => x.id);
    for (const { number } of await db.query<{ number: string }[]>(`SELECT number FROM supervision_item WHERE id = ANY($1::uuid[])`, [items])) expect(sheet!.text_body).toContain(number);
    expect(await db.query(`SELECT 1 FROM outbox WHERE dedup_key = 'document:score-sheet:2025'`)).toHaveLength(1);
    expect(await db.query(`SELECT 1 FROM outbox WHERE dedup_key = 'seminar:2025'`)).toHaveLength(1);
  });
});
