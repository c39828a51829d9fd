import { badInput, type Role, roles } from '@thankstar/platform';

/** `tenant-admin` in tokens and tables, `TENANT_ADMIN` in the GraphQL enum. */
export const toGraphQLRole = (role: Role): string => role.toUpperCase().replace('-', '_');

export const fromGraphQLRole = (role: string): Role => {
  const r = role.toLowerCase().replace('_', '-') as Role;
  if (!roles.includes(r)) throw badInput({ ja: `ロール ${role} はありません。`, en: `Unknown role ${role}.` });
  return r;
};
