/**
 * Chinese explanations of the bpmnlint rules we run (.bpmnlintrc: bpmnlint:recommended and
 * camunda-compat/camunda-platform-7-23, the Camunda 7 dialect Operaton executes). Rule messages are
 * English and built at run time, so a problem is shown as "element: Chinese rule text", with the
 * English message kept as a detail.
 */

/** The engine as the admin screens name it. */
export const ENGINE_NAME = 'Operaton（Camunda 7 兼容）';

const ruleText: Record<string, string> = {
  // bpmnlint:recommended
  'ad-hoc-sub-process': '临时子流程的配置不符合要求',
  'conditional-flows': '从网关或任务引出的条件连线缺少条件表达式',
  'end-event-required': '流程缺少结束事件',
  'event-based-gateway': '事件网关之后只能连接捕获事件或接收任务',
  'event-sub-process-typed-start-event': '事件子流程的开始事件必须有类型（消息、定时等）',
  'fake-join': '任务有多条入线却没有用网关合并，请使用并行或排他网关',
  global: '全局元素（消息、错误、信号）定义有误或未被引用',
  'label-required': '元素缺少名称',
  'link-event': '链接事件必须成对出现且名称一致',
  'no-bpmndi': '元素没有图形信息，无法在图中显示',
  'no-complex-gateway': '不支持复杂网关',
  'no-disconnected': '元素没有与流程相连',
  'no-duplicate-sequence-flows': '存在重复的连线',
  'no-gateway-join-fork': '同一网关不能既合并又分支，请拆成两个网关',
  'no-implicit-split': '任务有多条出线却没有使用网关，请使用网关分支',
  'no-implicit-end': '流程存在隐式结束，请显式添加结束事件',
  'no-implicit-start': '元素没有入线，请从开始事件连过来',
  'no-inclusive-gateway': '不建议使用包容网关',
  'no-overlapping-elements': '图形元素相互重叠',
  'single-blank-start-event': '流程只能有一个空白开始事件',
  'single-event-definition': '一个事件只能有一个事件定义',
  'start-event-required': '流程缺少开始事件',
  'sub-process-blank-start-event': '子流程只能使用空白开始事件',
  'superfluous-gateway': '网关只有一条入线和一条出线，是多余的',
  'superfluous-label': '元素上有多余的标签',
  'superfluous-termination': '终止结束事件是多余的',
  // camunda-compat, Camunda 7.23 (Operaton 1.0 is its continuation)
  'history-time-to-live': `流程未设置历史数据保留天数（在“历史数据清理”中填写，本系统统一为 3650），${ENGINE_NAME}引擎会拒绝部署`,
};

export function chineseRuleText(rule: string): string {
  const bare = rule.replace(/^camunda-compat\//, '');
  return ruleText[rule] ?? ruleText[bare] ?? `不符合建模规则 ${bare}`;
}
