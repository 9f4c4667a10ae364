import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tanghe County's units (DOMAIN.md §1, §2): the court, leadership, the Peace-Building Office,
 * the departments that own indicators, and the 23 township-level governments. Reference data,
 * editable by admins afterwards; department names are data, never code.
 */
const units: [id: string, name: string, kind: string][] = [
  ['court', '唐河县人民法院', 'court'],
  ['zfw', '中共唐河县委政法委员会', 'leadership'],
  ['xw', '中共唐河县委', 'leadership'],
  ['xzf', '唐河县人民政府', 'leadership'],
  ['pab', '唐河县平安建设领导小组办公室', 'office'],
  ['sfj', '唐河县司法局', 'department'],
  ['rsj', '唐河县人力资源和社会保障局', 'department'],
  ['zjj', '唐河县住房和城乡建设局', 'department'],
  ['jrj', '唐河县地方金融管理局', 'department'],
  ['sthj', '南阳市生态环境局唐河分局', 'department'],
  ['gaj', '唐河县公安局', 'department'],
  ['jyj', '唐河县教育局', 'department'],
  ['scjg', '唐河县市场监督管理局', 'department'],
  ['xfj', '唐河县信访局', 'department'],
  ['zrzy', '唐河县自然资源局', 'department'],
  ['fgw', '唐河县发展和改革委员会', 'department'],
  ['gxj', '唐河县工业和信息化局', 'department'],
  ['jtys', '唐河县交通运输局', 'department'],
  ['slj', '唐河县水利局', 'department'],
  ['nync', '唐河县农业农村局', 'department'],
  ['lyj', '唐河县林业局', 'department'],
  ['mzj', '唐河县民政局', 'department'],
  ['fl', '唐河县妇女联合会', 'department'],
  ['txw', '共青团唐河县委员会', 'department'],
  ['zgh', '唐河县总工会', 'department'],
  ['wxb', '中共唐河县委网信办', 'department'],
  ['town-binhe', '滨河街道办事处', 'township'],
  ['town-wenfeng', '文峰街道办事处', 'township'],
  ['town-dongxing', '东兴街道办事处', 'township'],
  ['town-xingtang', '兴唐街道办事处', 'township'],
  ['town-yuantan', '源潭镇人民政府', 'township'],
  ['town-zhangdian', '张店镇人民政府', 'township'],
  ['town-guotan', '郭滩镇人民政府', 'township'],
  ['town-huyang', '湖阳镇人民政府', 'township'],
  ['town-heilong', '黑龙镇人民政府', 'township'],
  ['town-dahetun', '大河屯镇人民政府', 'township'],
  ['town-longtan', '龙潭镇人民政府', 'township'],
  ['town-tongzhaipu', '桐寨铺镇人民政府', 'township'],
  ['town-cangtai', '苍台镇人民政府', 'township'],
  ['town-shangtun', '上屯镇人民政府', 'township'],
  ['town-bidian', '毕店镇人民政府', 'township'],
  ['town-shaobaisi', '少拜寺镇人民政府', 'township'],
  ['town-qiyi', '祁仪镇人民政府', 'township'],
  ['town-mazhenfu', '马振抚镇人民政府', 'township'],
  ['town-chengjiao', '城郊乡人民政府', 'township'],
  ['town-tonghe', '桐河乡人民政府', 'township'],
  ['town-zangang', '昝岗乡人民政府', 'township'],
  ['town-gucheng', '古城乡人民政府', 'township'],
  ['town-dongwangji', '东王集乡人民政府', 'township'],
];

export class SeedCountyUnits1764028800001 implements MigrationInterface {
  name = 'SeedCountyUnits1764028800001';

  async up(q: QueryRunner): Promise<void> {
    for (const [index, [id, name, kind]] of units.entries()) {
      await q.query(
        `INSERT INTO department (id, name, kind, email, leader_email, sort_order) VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, name, kind, `${id}@tanghe.gov.example`, `${id}-leader@tanghe.gov.example`, index],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM department WHERE id = ANY($1)`, [units.map(([id]) => id)]);
  }
}
