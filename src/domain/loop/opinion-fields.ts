/** The opinion form's labels (bpmn/risk-notice-opinion.form), so a refusal the unit reads names its fields in Chinese. */
const OPINION_FIELD_LABELS: Readonly<Record<string, string>> = {
  analysis: '风险分析研判',
  problems: '工作中存在的问题和漏洞',
  measures: '具体工作措施',
  content: '措施内容',
  ownerName: '责任人',
  responsibleDepartmentId: '责任部门',
  deadline: '完成时限',
  indicatorIds: '针对的指标',
  townships: '涉及的乡镇',
};

/** `measures.0.deadline` → 第1项措施·完成时限. */
export function opinionFieldName(field: string): string {
  const measure = /^measures\.(\d+)\.(\w+)$/.exec(field);
  if (measure) return `第${Number(measure[1]) + 1}项措施·${OPINION_FIELD_LABELS[measure[2]!] ?? measure[2]}`;
  return OPINION_FIELD_LABELS[field] ?? field;
}
