import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isObjectType } from 'graphql/index.js';
import { describe, expect, it } from 'vitest';
import { subscriptionSdl } from '../live/subscription-schema';
import { apiSchemaOf, gatewayDir, loadSupergraphSdl } from '../supergraph/load-supergraph';
import { authorizationMatrix } from './authorization-matrix';
import { operationsOf, subscriptionOperations } from './operations';
import { renderAuthorizationDoc } from './render-authorization-doc';

const api = apiSchemaOf(loadSupergraphSdl());
const operations = [...operationsOf(api), ...subscriptionOperations(subscriptionSdl)];

describe('the authorization matrix', () => {
  it('has a rule for every query, mutation and subscription of the supergraph', () => {
    const missing = operations.filter((op) => !(op in authorizationMatrix));
    expect(missing, 'add a row to gateway/src/authorization/authorization-matrix.ts').toEqual([]);
  });

  it('has no rule for an operation that no longer exists', () => {
    expect(Object.keys(authorizationMatrix).filter((op) => !operations.includes(op))).toEqual([]);
  });

  it('lets no tenant-scoped operation take a tenant from its arguments', () => {
    const scoped = Object.entries(authorizationMatrix).filter(([, rule]) => ['OWN', 'SELF'].includes(rule.tenant));
    const takingTenant = scoped
      .map(([op]) => op)
      .filter((op) => {
        const [type, field] = op.split('.') as [string, string];
        const root = api.getType(type);
        const def = isObjectType(root) ? root.getFields()[field] : undefined;
        return def?.args.some((arg) => /tenant/i.test(arg.name));
      });
    expect(takingTenant).toEqual([]);
  });

  it('is the only role table: no subgraph resolver declares roles of its own (their AuthGuard reads this matrix)', () => {
    const servicesDir = join(gatewayDir, '..', 'services');
    const resolvers = readdirSync(servicesDir, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.resolver.ts') && f.includes('src') && !f.includes('node_modules'),
    );
    expect(resolvers.length).toBeGreaterThan(10);
    const declaring = resolvers.filter((f) => /@(Roles|Public)\(/.test(readFileSync(join(servicesDir, f), 'utf8')));
    expect(declaring, 'remove @Roles/@Public from GraphQL resolvers; change the matrix row instead').toEqual([]);
  });

  it('is what docs/api/authorization.md shows', () => {
    const doc = readFileSync(join(gatewayDir, '..', 'docs', 'api', 'authorization.md'), 'utf8');
    expect(doc, 'run npm run -w gateway docs:authorization').toBe(renderAuthorizationDoc(authorizationMatrix));
  });
});
