import { type OperationRule, tenantRules } from './authorization-matrix';

const rolesText = (rule: OperationRule): string =>
  rule.roles === 'public'
    ? 'anyone (no token)'
    : rule.roles === 'signed-in'
      ? 'any signed-in user'
      : rule.roles.join(', ');

/** docs/api/authorization.md, generated from the matrix the gateway enforces. */
export function renderAuthorizationDoc(matrix: Record<string, OperationRule>): string {
  const rows = Object.entries(matrix)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, rule]) => `| \`${operation}\` | ${rolesText(rule)} | ${rule.tenant} |`);
  const legend = Object.entries(tenantRules).map(([name, text]) => `- **${name}**: ${text}`);
  return [
    '# API authorization matrix',
    '',
    '<!-- Generated from libs/platform/src/auth/authorization-matrix.ts by `npm run -w gateway docs:authorization`. Do not edit by hand. -->',
    '',
    'Every query, mutation and subscription of the API, who may call it and whose data it reaches.',
    'The gateway refuses a caller whose roles are not listed before any subgraph is called',
    '(anonymous: `UNAUTHENTICATED`, 401; wrong role: `FORBIDDEN`, 403). Every subgraph applies the same',
    'row again to a token sent straight to it (docs/security.md, "Subgraphs: defence in depth"), and scopes every read and write to the tenant of the token. An operation without',
    'a row is refused, and `gateway/src/authorization/authorization-matrix.test.ts` fails the',
    'build until it has one.',
    '',
    '## Tenant rules',
    '',
    ...legend,
    '',
    '## Operations',
    '',
    '| operation | roles | tenant |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
