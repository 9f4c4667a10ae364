import type { Aggregate, Basis, Bands, CaseField, Filter, FloorRule, Formula, IndicatorDefinition } from './definition.ts';

/**
 * The default catalogue of DOMAIN.md §2: 37 indicators over the six domains of 第二条. It seeds
 * version 1 of every definition; admins change thresholds, owners and formulas afterwards as new
 * versions (never in code). A5, E6 and F3 need columns many exports lack and ship disabled.
 */

const is = (field: CaseField, ...values: string[]): Filter => ({ field, in: values });
const any = (field: 'plaintiff_types' | 'defendant_types', ...values: string[]): Filter => ({ field, any: values });
const flag = (field: 'gov_lost' | 'leader_appeared' | 'appealed', value: boolean): Filter => ({ field, is: value });

const count = (basis: Basis, ...filters: Filter[]): Aggregate => ({ agg: 'count', basis, filters });
const sum = (field: NonNullable<Aggregate['field']>, basis: Basis, ...filters: Filter[]): Aggregate => ({ agg: 'sum', field, basis, filters });
const value = (num: Aggregate): Formula => ({ num, scale: 1 });
/** Percentage of the den rows that also pass `extra`. */
const share = (den: Aggregate, ...extra: Filter[]): Formula => ({ num: { ...den, filters: [...den.filters, ...extra] }, den, scale: 100 });
const ratio = (num: Aggregate, den: Aggregate, scale = 1): Formula => ({ num, den, scale });

const standard: Bands = { kind: 'default', medium: { yoy: 0.1, ratio: 1.1 }, high: { yoy: 0.3, ratio: 1.3 }, critical: { yoy: 0.5, ratio: 1.5 } };
const above = (medium?: number, high?: number, critical?: number): Bands => ({ kind: 'absolute', direction: 'higher', medium, high, critical });
const below = (medium?: number, high?: number, critical?: number): Bands => ({ kind: 'absolute', direction: 'lower', medium, high, critical });
const floor = (rule: FloorRule): FloorRule => rule;

const firstInstance = is('procedure', '一审');
const admin = is('case_type', '行政');
const civil = is('case_type', '民事');
const criminal = is('case_type', '刑事');
const wageCauses = ['追索劳动报酬纠纷', '劳务合同纠纷', '提供劳务者受害责任纠纷', '拒不支付劳动报酬罪'];
const commercialCauses = ['买卖合同纠纷', '借款合同纠纷', '租赁合同纠纷', '与公司有关的纠纷', '票据纠纷', '保险纠纷', '证券纠纷', '合伙协议纠纷'];

type Entry = Omit<IndicatorDefinition, 'floors' | 'minN' | 'coOwners' | 'routeToTownships' | 'enabled'> & Partial<IndicatorDefinition>;

const entries: Entry[] = [
  // 2.2 法治政府建设
  { id: 'A1', domain: '法治政府建设', name: '一审行政案件收案数', unit: 'count', formula: value(count('new', admin, firstInstance)), bands: standard,
    floors: [floor({ when: 'rate_gt', value: 1.0, floor: 'medium' })], owners: ['sfj'], description: '新收一审行政案件数；同比、万人收案数' },
  { id: 'A2', domain: '法治政府建设', name: '行政机关败诉率', unit: 'share', formula: share(count('closed', admin, firstInstance, is('closing_method', '判决')), flag('gov_lost', true)),
    bands: above(15, 25, 35), minN: 5, owners: ['sfj'], description: '审结一审行政判决案件中行政机关败诉的比例（%）' },
  { id: 'A3', domain: '法治政府建设', name: '征收拆迁类行政案件', unit: 'count',
    formula: value(count('new', admin, is('admin_sector', '土地(集体土地征收)', '国有土地上房屋征收', '因征收产生的强制拆除', '拆违拆临'))), bands: standard,
    floors: [floor({ when: 'max_per_key_gte', key: 'series_id', count: 'plaintiffs', value: 10, floor: 'critical' })], owners: ['zrzy'], coOwners: ['zjj'], routeToTownships: true, minN: 5,
    description: '新收征收、拆迁类行政案件数；同一案件或系列案原告≥10人（按当事人人数计）为极高风险' },
  { id: 'A4', domain: '法治政府建设', name: '以乡镇政府(街道)为被告案件', unit: 'count', formula: value(count('new', admin, any('defendant_types', '乡镇政府(街道)'))), bands: standard,
    floors: [floor({ when: 'value_gte', value: 3, floor: 'high', scope: 'township' })], owners: ['sfj'], routeToTownships: true, minN: 3, description: '新收以乡镇政府(街道)为被告的行政案件数，按乡镇' },
  { id: 'A5', domain: '法治政府建设', name: '行政机关负责人出庭应诉率', unit: 'share', formula: share(count('closed', admin, firstInstance), flag('leader_appeared', true)),
    bands: below(90, 70), enabled: false, owners: ['sfj'], description: '一审行政案件中行政机关负责人出庭应诉的比例（%）' },
  { id: 'A6', domain: '法治政府建设', name: '非诉行政执行不准予执行率', unit: 'share', formula: share(count('closed', is('procedure', '非诉执行审查')), is('outcome', '不准予执行')),
    bands: above(5, 10), minN: 5, owners: ['sfj'], description: '非诉行政执行审查案件中裁定不准予执行的比例（%）' },
  // 2.3 经济发展运行
  { id: 'B1', domain: '经济发展运行', name: '商事活动纠纷', unit: 'count', formula: value(count('new', civil, firstInstance, is('cause', ...commercialCauses))), bands: standard,
    owners: ['fgw'], coOwners: ['gxj', 'scjg'], description: '新收一审商事纠纷案件数' },
  { id: 'B2', domain: '经济发展运行', name: '民间借贷纠纷', unit: 'count', formula: value(count('new', is('cause', '民间借贷纠纷'))), bands: standard,
    floors: [floor({ when: 'max_per_key_gte', key: 'defendant_key', count: 'cases', value: 20, floor: 'critical' })], owners: ['jrj'], coOwners: ['gaj'], routeToTownships: true,
    description: '新收民间借贷纠纷案件数；同一被告≥20件为极高风险（疑似非法集资）' },
  { id: 'B3', domain: '经济发展运行', name: '金融借款及信用卡纠纷', unit: 'count', formula: value(count('new', is('cause', '金融借款合同纠纷', '信用卡纠纷', '小额借款合同纠纷'))),
    bands: standard, owners: ['jrj'], description: '新收金融借款、信用卡、小额借款合同纠纷案件数' },
  { id: 'B4', domain: '经济发展运行', name: '劳动争议案件', unit: 'count', formula: value(count('new', is('cause', '劳动争议', '追索劳动报酬纠纷', '确认劳动关系纠纷', '工伤保险待遇纠纷', '人事争议'))),
    bands: standard, owners: ['rsj'], coOwners: ['zgh'], description: '新收劳动争议、人事争议案件数' },
  { id: 'B5', domain: '经济发展运行', name: '欠薪类案件', unit: 'count', formula: value(count('new', is('cause', ...wageCauses))), bands: standard,
    floors: [floor({ when: 'max_per_key_gte', key: 'defendant_key', count: 'plaintiffs', value: 10, floor: 'critical' })], owners: ['rsj'], coOwners: ['zjj', 'jtys', 'slj', 'gaj'],
    description: '新收追索劳动报酬、劳务合同等欠薪类案件及拒不支付劳动报酬罪案件数；同一被告涉及原告（劳动者）≥10人（按当事人人数计）为极高风险' },
  { id: 'B6', domain: '经济发展运行', name: '建设工程施工合同纠纷', unit: 'count', formula: value(count('new', is('cause', '建设工程施工合同纠纷', '建设工程分包合同纠纷'))),
    bands: standard, owners: ['zjj'], description: '新收建设工程施工、分包合同纠纷案件数' },
  { id: 'B7', domain: '经济发展运行', name: '房地产纠纷', unit: 'count', formula: value(count('new', is('cause', '商品房预售合同纠纷', '商品房买卖合同纠纷', '房屋买卖合同纠纷'))),
    bands: standard, floors: [floor({ when: 'max_per_key_gte', key: 'defendant_key', count: 'plaintiffs', value: 10, floor: 'critical' })], owners: ['zjj'], coOwners: ['zrzy'],
    description: '新收商品房预售、买卖及房屋买卖合同纠纷案件数；同一被告涉及购房人（原告）≥10人（按当事人人数计）为极高风险' },
  { id: 'B8', domain: '经济发展运行', name: '涉企执行案件终本率', unit: 'share', formula: share(count('closed', is('case_type', '执行'), any('defendant_types', '企业')), is('closing_method', '终结本次执行')),
    bands: above(40, 60), owners: ['gxj'], coOwners: ['fgw', 'scjg'], description: '审结涉企执行案件中终结本次执行的比例（%）' },
  // 2.4 平安社会诚信体系建设
  { id: 'C1', domain: '平安社会诚信体系建设', name: '刑事案件数', unit: 'count', formula: value(count('new', criminal, firstInstance)), bands: standard, owners: ['gaj'],
    description: '新收一审刑事案件数；万人刑事案件数' },
  { id: 'C2', domain: '平安社会诚信体系建设', name: '电信网络诈骗及帮信犯罪', unit: 'count',
    formula: value(count('new', criminal, is('cause', '诈骗罪', '帮助信息网络犯罪活动罪', '掩饰、隐瞒犯罪所得、犯罪所得收益罪'))), bands: standard, owners: ['gaj'], coOwners: ['jyj'],
    description: '新收诈骗、帮信、掩隐类刑事案件数' },
  { id: 'C3', domain: '平安社会诚信体系建设', name: '道路交通安全', unit: 'count', formula: value(count('new', is('cause', '危险驾驶罪', '交通肇事罪', '机动车交通事故责任纠纷'))),
    bands: standard, owners: ['gaj'], coOwners: ['jtys'], description: '新收危险驾驶、交通肇事及机动车交通事故责任纠纷案件数' },
  { id: 'C4', domain: '平安社会诚信体系建设', name: '未成年人犯罪', unit: 'count', formula: value(count('new', criminal, is('defendant_age_band', '未满16', '16-17'))), bands: standard,
    floors: [floor({ when: 'yoy_rise', minN: 5, floor: 'high' })], minN: 5, owners: ['jyj'], coOwners: ['txw', 'fl', 'gaj', 'mzj'], description: '新收未成年被告人刑事案件数；同比上升且不少于5件即为高风险' },
  { id: 'C5', domain: '平安社会诚信体系建设', name: '涉众型经济犯罪', unit: 'count', formula: value(count('new', criminal, is('cause', '非法吸收公众存款罪', '集资诈骗罪', '组织、领导传销活动罪'))),
    bands: standard, floors: [floor({ when: 'value_gte', value: 1, floor: 'high', scope: 'county' }), floor({ when: 'value_gte', value: 2, floor: 'critical', scope: 'county' })], minN: 0,
    owners: ['gaj'], coOwners: ['jrj', 'scjg'], description: '新收非法吸收公众存款、集资诈骗、传销类刑事案件数；有案即高风险' },
  { id: 'C6', domain: '平安社会诚信体系建设', name: '婚姻家庭纠纷', unit: 'count', formula: value(count('new', is('cause', '离婚纠纷', '抚养纠纷', '赡养纠纷', '继承纠纷'))), bands: standard,
    owners: ['fl'], coOwners: ['mzj', 'sfj'], description: '新收离婚、抚养、赡养、继承纠纷案件数' },
  { id: 'C7', domain: '平安社会诚信体系建设', name: '农村基层矛盾纠纷', unit: 'count',
    formula: value(count('new', is('cause', '相邻关系纠纷', '土地承包经营权纠纷', '宅基地使用权纠纷', '侵害集体经济组织成员权益纠纷'))), bands: standard,
    floors: [floor({ when: 'ratio_gte', value: 1.5, floor: 'high', scope: 'township' })], owners: ['nync'], coOwners: ['zrzy'], routeToTownships: true, description: '新收相邻关系、土地承包、宅基地等农村纠纷案件数，按乡镇' },
  { id: 'C8', domain: '平安社会诚信体系建设', name: '万人起诉率', unit: 'count', formula: value(count('new', firstInstance, is('case_type', '民事', '行政'))), bands: standard,
    floors: [floor({ when: 'ratio_gte', value: 1.5, floor: 'high', scope: 'township' }), floor({ when: 'ratio_gte', value: 2, floor: 'critical', scope: 'township' })],
    owners: ['pab'], coOwners: ['sfj'], routeToTownships: true, description: '新收一审民事、行政案件数÷常住人口×1万，按乡镇' },
  { id: 'C9', domain: '平安社会诚信体系建设', name: '执行到位率', unit: 'share',
    formula: ratio(sum('enforced_amount', 'closed', is('procedure', '执行实施')), sum('claim_amount', 'closed', is('procedure', '执行实施')), 100), bands: below(40, 25),
    owners: ['fgw'], coOwners: ['gaj', 'court'], description: '审结执行实施案件执行到位金额÷申请执行标的额（%）' },
  { id: 'C10', domain: '平安社会诚信体系建设', name: '涉诉信访与舆情', unit: 'count', formula: value(count('signals')), bands: standard, owners: ['xfj'], coOwners: ['wxb'],
    routeToTownships: true, description: '乡镇月度信访件数与舆情条数之和' },
  // 2.5 生态文明建设
  { id: 'D1', domain: '生态文明建设', name: '环境资源刑事案件', unit: 'count',
    formula: value(count('new', criminal, is('cause', '污染环境罪', '非法采矿罪', '非法占用农用地罪', '盗伐林木罪', '滥伐林木罪', '非法捕捞水产品罪', '非法狩猎罪', '危害珍贵、濒危野生动物罪'))),
    bands: standard, minN: 5, owners: ['sthj'], coOwners: ['zrzy', 'lyj', 'nync', 'slj'], description: '新收环境资源类刑事案件数' },
  { id: 'D2', domain: '生态文明建设', name: '环境污染责任纠纷及公益诉讼', unit: 'count', formula: value(count('new', is('cause', '环境污染责任纠纷', '生态破坏责任纠纷', '噪声污染责任纠纷'))),
    bands: standard, minN: 5, owners: ['sthj'], coOwners: ['zrzy'], description: '新收环境污染、生态破坏责任纠纷案件数' },
  { id: 'D3', domain: '生态文明建设', name: '资源类行政案件', unit: 'count', formula: value(count('new', admin, is('admin_sector', '自然资源', '林业', '生态环境'))), bands: standard, minN: 5,
    owners: ['zrzy'], coOwners: ['lyj', 'sthj'], description: '新收土地、地矿、林业、生态环境类行政案件数' },
  // 2.6 审判工作现代化建设 (court-internal)
  { id: 'E1', domain: '审判工作现代化建设', name: '结收比', unit: 'ratio', formula: ratio(count('closed', { field: 'type_code', notIn: ['执恢', '执保'] }), count('new', { field: 'type_code', notIn: ['执恢', '执保'] })),
    bands: below(0.95, 0.9), owners: ['court'], description: '结案数÷收案数（不含执恢、执保）' },
  { id: 'E2', domain: '审判工作现代化建设', name: '法定审限内结案率', unit: 'share', formula: share(count('closed'), { closedWithinDeadline: true }), bands: below(98, 95),
    owners: ['court'], description: '审限内结案数÷结案数（%）' },
  { id: 'E3', domain: '审判工作现代化建设', name: '平均审理天数', unit: 'days', formula: value({ agg: 'mean_days', basis: 'closed', filters: [] }), bands: standard, owners: ['court'],
    description: '结案平均审理天数（结案日期−立案日期）' },
  { id: 'E4', domain: '审判工作现代化建设', name: '超12个月未结案件比', unit: 'share', formula: share(count('pending'), { ageOverDays: 365 }), bands: above(1, 3), owners: ['court'],
    description: '期末未结案件中立案超过365日的比例（%）' },
  { id: 'E5', domain: '审判工作现代化建设', name: '诉前调解成功率', unit: 'share', formula: share(count('closed', is('pre_mediation', '成功', '失败')), is('pre_mediation', '成功')),
    bands: below(60, 40), owners: ['court'], description: '诉前调解成功数÷诉前调解数（%）' },
  { id: 'E6', domain: '审判工作现代化建设', name: '案-件比', unit: 'ratio', formula: ratio(count('new'), count('new', is('procedure', '一审'))), bands: above(1.5, 2.0), enabled: false,
    owners: ['court'], description: '程序数÷纠纷数（需关联案号，默认停用）' },
  // 2.7 审判质量监督建设 (court-internal)
  { id: 'F1', domain: '审判质量监督建设', name: '一审服判息诉率', unit: 'share', formula: share(count('closed', firstInstance), { field: 'appealed', is: false }), bands: below(90, 85),
    owners: ['court'], description: '一审审结案件中未上诉的比例（%）' },
  { id: 'F2', domain: '审判质量监督建设', name: '二审改判发回重审率', unit: 'share', formula: share(count('closed', is('appeal_result', '维持', '改判', '发回重审', '撤回上诉', '其他')), is('appeal_result', '改判', '发回重审')),
    bands: above(5, 10), minN: 5, owners: ['court'], description: '二审改判、发回重审数÷二审审结数（%）' },
  { id: 'F3', domain: '审判质量监督建设', name: '再审改判发回重审', unit: 'count', formula: value(count('closed', is('retrial_result', '改判', '发回重审'))), bands: above(2), enabled: false,
    owners: ['court'], description: '再审改判、发回重审件数（需再审结果字段，默认停用）' },
  { id: 'F4', domain: '审判质量监督建设', name: '涉诉信访率', unit: 'per100', formula: ratio(sum('petition_count', 'closed'), count('closed'), 100), bands: standard, owners: ['court'],
    description: '涉诉信访次数÷结案数×100' },
];

export const defaultCatalogue: IndicatorDefinition[] = entries.map((e) => ({
  floors: [],
  minN: 10,
  coOwners: [],
  routeToTownships: false,
  enabled: true,
  ...e,
}));
