import type { DataSource } from 'typeorm';
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
