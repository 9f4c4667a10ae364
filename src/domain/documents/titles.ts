import { periodLabel, type Period } from './format.ts';

/** 基于司法大数据的唐河法院经济社会运行情况评估报告（2026年上半年） (第六条); `countyShort` = "唐河". */
export function assessmentReportTitle(countyShort: string, period: Period): string {
  return `基于司法大数据的${countyShort}法院经济社会运行情况评估报告（${periodLabel(period)}）`;
}

/** 关于民间借贷纠纷的专题分析报告: a court analyst's topic report (第六条, issue 19 point 5). */
export function topicReportTitle(subject: string): string {
  return `关于${subject}的专题分析报告`;
}

/** 基于司法大数据的唐河经济社会运行情况评估报告（2026年度）: the published February report (第十七条). */
export function publicReportTitle(countyShort: string, year: number): string {
  return `基于司法大数据的${countyShort}经济社会运行情况评估报告（${year}年度）`;
}

/** 《唐河县基于司法大数据的社会治理风险评估预警化解工作管理办法》, cited in 约谈 and 挂牌 papers. */
export function policyTitle(county: string): string {
  return `《${county}基于司法大数据的社会治理风险评估预警化解工作管理办法》`;
}

/** 社会治理风险评估预警化解工作联席会议 (第九条). */
export const JOINT_MEETING_NAME = '社会治理风险评估预警化解工作联席会议';
