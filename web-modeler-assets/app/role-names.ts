import type { Role } from './types.ts';

/** The same names as the engine's role groups (src/domain/identity/engine-identity.ts ROLE_GROUP_NAMES; a unit test holds them equal). */
export const roleNames: Record<Role, string> = {
  court_analyst: '法院数据分析',
  leader: '县领导',
  peace_office: '平安办',
  department: '责任单位',
  admin: '系统管理员',
  auditor: '纪检审计',
};
