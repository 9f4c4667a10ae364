import type { DataSource } from 'typeorm';
import { generateCaseData } from '../domain/cases/generator.ts';
import { loadGeneratedData } from './cases/generated-data.ts';
import { systemActor, type Role } from './actor.ts';
import type { UserService } from './users.ts';

/** One demo user per role (and three departments), created once on an empty database. */
export const demoUsers: { username: string; displayName: string; roles: Role[]; departmentId: string | null }[] = [
  { username: 'court', displayName: '法院数据组 张法官', roles: ['court_analyst'], departmentId: 'court' },
  { username: 'leader', displayName: '县委政法委 李书记', roles: ['leader'], departmentId: 'zfw' },
  { username: 'office', displayName: '平安办 王主任', roles: ['peace_office'], departmentId: 'pab' },
  { username: 'rsj', displayName: '人社局 赵科长', roles: ['department'], departmentId: 'rsj' },
  { username: 'zjj', displayName: '住建局 孙科长', roles: ['department'], departmentId: 'zjj' },
  { username: 'gaj', displayName: '公安局 周科长', roles: ['department'], departmentId: 'gaj' },
  { username: 'jrj', displayName: '金融局 吴科长', roles: ['department'], departmentId: 'jrj' },
  { username: 'admin', displayName: '系统管理员', roles: ['admin'], departmentId: null },
  { username: 'auditor', displayName: '纪检监察 审计员', roles: ['auditor'], departmentId: null },
];

export async function seedDemoUsers(db: DataSource, users: UserService, password: string): Promise<boolean> {
  const [row]: { n: string }[] = await db.query(`SELECT count(*) AS n FROM app_user`);
  if (Number(row?.n) > 0) return false;
  await db.transaction(async (tx) => {
    for (const u of demoUsers) await users.create(systemActor, { ...u, password }, tx);
  });
  return true;
}

/** The demo county's case data (2022–2025, planted risks in 2025): generated and loaded once, on a database without imports. */
export const DEMO_CASE_DATA = { fromYear: 2022, toYear: 2025, rows: 32_000, seed: 411328 } as const;

export async function seedDemoCaseData(db: DataSource): Promise<number> {
  const [row]: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM import_file`);
  if (row!.n > 0) return 0;
  const loaded = await loadGeneratedData(db, generateCaseData(DEMO_CASE_DATA), `demo:${DEMO_CASE_DATA.seed}`);
  return loaded.cases;
}
