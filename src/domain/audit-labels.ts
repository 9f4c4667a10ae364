/**
 * The audit log in Chinese: what each action and each kind of record is called on the 审计日志
 * screen. Actions are `<record>.<verb>` (a few are whole words, such as `case_import`); some verbs
 * are composed where they are written (an escalation's kind, a review's decision), so the label is
 * composed the same way: the record's name, then the verb's.
 */

export const auditEntityLabels: Readonly<Record<string, string>> = {
  session: '会话',
  user: '用户',
  user_task: '待办',
  process_definition: '流程定义',
  department: '单位',
  document: '公文',
  import_file: '导入文件',
  indicator_definition: '指标定义',
  indicator_run: '指标计算',
  assessment_round: '评估轮次',
  risk_notice: '风险提示函',
  work_opinion: '工作意见',
  supervision_item: '督办事项',
  joint_meeting: '联席会议',
  bulletin: '督办事项专报',
  effectiveness_evaluation: '年度成效评价',
  ledger: '台账',
  trace: '追溯链',
  incident: '流程故障',
  escalation_prompt: '约谈挂牌建议',
  escalation_order: '约谈决定',
};

/** The record part of an action where it differs from the row's record type. */
const actionSubjects: Readonly<Record<string, string>> = { ...auditEntityLabels, task: '待办', process: '流程', evaluation: '年度成效评价' };

/** Actions whose name is not record + verb. */
const wholeActions: Readonly<Record<string, string>> = {
  'auth.login': '登录',
  'auth.login.failed': '登录失败',
  'auth.mfa.failed': '动态口令错误',
  'auth.mfa.enrolled': '设置动态口令',
  'user.mfa.reset': '重置用户动态口令',
  'auth.logout': '退出登录',
  case_import: '导入案件数据',
  township_population_import: '导入乡镇人口',
  township_signal_import: '导入乡镇信访舆情',
  cause_catalogue_import: '导入案由目录',
  'cockpit.read': '查看驾驶舱指标',
  'round.what_if': '试算指标调整',
  'topic_report.compose': '发起专题分析',
  'escalation_order.ordered': '领导决定约谈单位主要负责人',
};

const verbLabels: Readonly<Record<string, string>> = {
  create: '创建',
  update: '修改',
  enable: '启用',
  disable: '停用',
  claim: '认领',
  unclaim: '退回认领',
  complete: '办结',
  comment: '评论',
  attach: '上传附件',
  urge: '催办',
  deploy: '部署',
  read: '查看',
  export: '导出',
  download: '下载',
  generated: '生成',
  retry: '重试',
  start: '启动',
  approve: '审批通过',
  draft_report: '起草评估报告',
  instruction: '领导批示',
  deductions: '计算扣分',
  version: '新增版本',
  compute: '计算',
  minutes: '形成纪要',
  issue: '发出',
  issue_notice: '发出督办通知书',
  register: '登记',
  sign: '签收',
  progress: '报告进展',
  extension_requested: '申请延期',
  result: '报送办理结果',
  submit: '提交',
  accept: '采纳',
  return: '退回',
  review_accept: '审核通过',
  review_return: '审核退回',
  result_accept: '办理结果通过',
  result_return: '办理结果退回',
  // The escalation ladder's kinds (src/domain/loop/escalation.ts EscalationKind).
  reminder: '临期提醒',
  yellow_card: '黄牌警示',
  red_card: '红牌警示',
  interview: '约谈',
  listing: '挂牌督办',
  delisting: '摘牌',
  extension_granted: '准予延期',
  extension_refused: '不准延期',
  returned: '退回重办',
  escalation_ordered: '领导决定约谈或挂牌',
  interview_notice: '发出约谈通知书',
  verify: '复算核对',
  seminar: '安排成效研讨会',
  seminar_record: '记录成效研讨会',
  dismissed: '不予采纳',
};

/** The action's Chinese name; an action nobody named yet keeps its code (a unit test keeps that from happening). */
export function auditActionLabel(action: string): string {
  const whole = wholeActions[action];
  if (whole) return whole;
  const dot = action.indexOf('.');
  const entity = actionSubjects[action.slice(0, dot)];
  const verb = verbLabels[action.slice(dot + 1)];
  return dot > 0 && entity && verb ? `${entity}·${verb}` : action;
}

export const auditEntityLabel = (entityType: string): string => auditEntityLabels[entityType] ?? entityType;
