-- The I6 baseline (QUALITY.md §6.3): the default catalogue's case aggregates for ONE period,
-- written by hand as a court analyst would — one GROUP BY over the case rows, a FILTER aggregate
-- per numerator and denominator, by township and for the county. $1, $2: the period's first and
-- last day. The indicator engine does more (the three comparison periods, the per-defendant
-- maxima, the signals, levels and reasons); bench/indicators.ts times both on the same rows.
SELECT township,
  -- 法治政府建设
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND case_type = '行政' AND procedure = '一审') AS a1,
  count(*) FILTER (WHERE closing_date BETWEEN $1 AND $2 AND case_type = '行政' AND procedure = '一审' AND closing_method = '判决' AND gov_lost) AS a2_num,
  count(*) FILTER (WHERE closing_date BETWEEN $1 AND $2 AND case_type = '行政' AND procedure = '一审' AND closing_method = '判决') AS a2_den,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND case_type = '行政' AND admin_sector IN ('土地(集体土地征收)', '国有土地上房屋征收', '因征收产生的强制拆除', '拆违拆临')) AS a3,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND case_type = '行政' AND '乡镇政府(街道)' = ANY (defendant_types)) AS a4,
  count(*) FILTER (WHERE closing_date BETWEEN $1 AND $2 AND procedure = '非诉执行审查' AND outcome = '不准予执行') AS a6_num,
  count(*) FILTER (WHERE closing_date BETWEEN $1 AND $2 AND procedure = '非诉执行审查') AS a6_den,
  -- 经济发展运行
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND case_type = '民事' AND procedure = '一审'
    AND cause IN ('买卖合同纠纷', '借款合同纠纷', '租赁合同纠纷', '与公司有关的纠纷', '票据纠纷', '保险纠纷', '证券纠纷', '合伙协议纠纷')) AS b1,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND cause = '民间借贷纠纷') AS b2,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND cause IN ('金融借款合同纠纷', '信用卡纠纷', '小额借款合同纠纷')) AS b3,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND cause IN ('劳动争议', '追索劳动报酬纠纷', '确认劳动关系纠纷', '工伤保险待遇纠纷', '人事争议')) AS b4,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND cause IN ('追索劳动报酬纠纷', '劳务合同纠纷', '提供劳务者受害责任纠纷', '拒不支付劳动报酬罪')) AS b5,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND cause IN ('建设工程施工合同纠纷', '建设工程分包合同纠纷')) AS b6,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND cause IN ('商品房预售合同纠纷', '商品房买卖合同纠纷', '房屋买卖合同纠纷')) AS b7,
  count(*) FILTER (WHERE closing_date BETWEEN $1 AND $2 AND case_type = '执行' AND '企业' = ANY (defendant_types) AND closing_method = '终结本次执行') AS b8_num,
  count(*) FILTER (WHERE closing_date BETWEEN $1 AND $2 AND case_type = '执行' AND '企业' = ANY (defendant_types)) AS b8_den,
  -- 平安社会诚信体系建设
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND case_type = '刑事' AND procedure = '一审') AS c1,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND case_type = '刑事' AND cause IN ('诈骗罪', '帮助信息网络犯罪活动罪', '掩饰、隐瞒犯罪所得、犯罪所得收益罪')) AS c2,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND cause IN ('危险驾驶罪', '交通肇事罪', '机动车交通事故责任纠纷')) AS c3,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND case_type = '刑事' AND defendant_age_band IN ('未满16', '16-17')) AS c4,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND case_type = '刑事' AND cause IN ('非法吸收公众存款罪', '集资诈骗罪', '组织、领导传销活动罪')) AS c5,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND cause IN ('离婚纠纷', '抚养纠纷', '赡养纠纷', '继承纠纷')) AS c6,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND cause IN ('相邻关系纠纷', '土地承包经营权纠纷', '宅基地使用权纠纷', '侵害集体经济组织成员权益纠纷')) AS c7,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND procedure = '一审' AND case_type IN ('民事', '行政')) AS c8,
  sum(enforced_amount) FILTER (WHERE closing_date BETWEEN $1 AND $2 AND procedure = '执行实施') AS c9_num,
  sum(claim_amount) FILTER (WHERE closing_date BETWEEN $1 AND $2 AND procedure = '执行实施') AS c9_den,
  -- 生态文明建设
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND case_type = '刑事'
    AND cause IN ('污染环境罪', '非法采矿罪', '非法占用农用地罪', '盗伐林木罪', '滥伐林木罪', '非法捕捞水产品罪', '非法狩猎罪', '危害珍贵、濒危野生动物罪')) AS d1,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND cause IN ('环境污染责任纠纷', '生态破坏责任纠纷', '噪声污染责任纠纷')) AS d2,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND case_type = '行政' AND admin_sector IN ('自然资源', '林业', '生态环境')) AS d3,
  -- 审判工作现代化建设
  count(*) FILTER (WHERE closing_date BETWEEN $1 AND $2 AND (type_code IS NULL OR type_code NOT IN ('执恢', '执保'))) AS e1_num,
  count(*) FILTER (WHERE filing_date BETWEEN $1 AND $2 AND (type_code IS NULL OR type_code NOT IN ('执恢', '执保'))) AS e1_den,
  count(*) FILTER (WHERE closing_date BETWEEN $1 AND $2 AND closing_date <= deadline_date) AS e2_num,
  count(*) FILTER (WHERE closing_date BETWEEN $1 AND $2) AS e2_den,
  avg(closing_date - filing_date) FILTER (WHERE closing_date BETWEEN $1 AND $2) AS e3,
  count(*) FILTER (WHERE filing_date <= $2 AND (closing_date IS NULL OR closing_date > $2) AND $2 - filing_date > 365) AS e4_num,
  count(*) FILTER (WHERE filing_date <= $2 AND (closing_date IS NULL OR closing_date > $2)) AS e4_den,
  count(*) FILTER (WHERE closing_date BETWEEN $1 AND $2 AND pre_mediation = '成功') AS e5_num,
  count(*) FILTER (WHERE closing_date BETWEEN $1 AND $2 AND pre_mediation IN ('成功', '失败')) AS e5_den,
  -- 审判质量监督建设
  count(*) FILTER (WHERE closing_date BETWEEN $1 AND $2 AND procedure = '一审' AND appealed IS NOT TRUE) AS f1_num,
  count(*) FILTER (WHERE closing_date BETWEEN $1 AND $2 AND procedure = '一审') AS f1_den,
  count(*) FILTER (WHERE closing_date BETWEEN $1 AND $2 AND appeal_result IN ('改判', '发回重审')) AS f2_num,
  count(*) FILTER (WHERE closing_date BETWEEN $1 AND $2 AND appeal_result IN ('维持', '改判', '发回重审', '撤回上诉', '其他')) AS f2_den,
  sum(petition_count) FILTER (WHERE closing_date BETWEEN $1 AND $2) AS f4_num
FROM case_record
WHERE filing_date <= $2 AND (closing_date IS NULL OR closing_date >= $1)
GROUP BY ROLLUP (township);
