import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  authorizationMatrix,
  authorize,
  databaseUrl,
  defaultQueryLimits,
  GATEWAY_PROOF_HEADER,
  type Role,
  roles,
  signGatewayRequest,
} from '@thankstar/platform';
import {
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  parse,
} from 'graphql/index.js';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../services/customers/test/support';
import { startTelephony, type TestAuth } from '../../services/telephony/test/harness';

/**
 * Item 5 of "Hostile neighbours and faults": a subgraph is defence in depth, not a softer door.
 * Tokens go straight to the customers and telephony subgraphs (booted in-process on real Postgres
 * and Kafka), past the gateway, for every root field each serves.
 */

type Subgraph = 'customers' | 'telephony';
interface Door {
  url: string;
  sign: (claims: { tenantId: string; roles: Role[] }) => Promise<string>;
  schema: GraphQLSchema;
}

const root = join(__dirname, '..', '..');
const schemaOf = (name: Subgraph) =>
  buildSubgraphSchema(parse(readFileSync(join(root, 'services', name, 'schema.graphql'), 'utf8')));

/** A value GraphQL accepts for an argument of this type (the guard runs after the arguments are coerced). */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
        .map((f) => [f.name, sample(f.type)]),
    );
  }
  switch (type.name) {
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'ID':
      return randomUUID();
    default:
      return 'x';
  }
}

/** `mutation($a0: T!) { field(arg: $a0) { __typename } }` with every required argument given. */
function documentFor(schema: GraphQLSchema, operation: string): { query: string; variables: Record<string, unknown> } {
  const [typeName, fieldName] = operation.split('.') as ['Query' | 'Mutation', string];
  const type = typeName === 'Query' ? schema.getQueryType() : schema.getMutationType();
  const field = type?.getFields()[fieldName];
  if (!field) throw new Error(`${operation} is not in the subgraph schema`);
  const args = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const variables = Object.fromEntries(args.map((a, i) => [`a${i}`, sample(a.type)]));
  const declared = args.map((a, i) => `$a${i}: ${String(a.type)}`).join(', ');
  const passed = args.map((a, i) => `${a.name}: $a${i}`).join(', ');
  const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  return {
    query: `${typeName === 'Query' ? 'query' : 'mutation'}${declared ? `(${declared})` : ''} { ${fieldName}${passed ? `(${passed})` : ''}${selection} }`,
    variables,
  };
}

const rootOperations = (schema: GraphQLSchema) =>
  [schema.getQueryType(), schema.getMutationType()].flatMap((t) =>
    t
      ? Object.keys(t.getFields())
          .filter((f) => !f.startsWith('_'))
          .map((f) => `${t.name}.${f}`)
      : [],
  );

interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function post(
  url: string,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** The distinct outcomes the audit log recorded for these tenants. */
async function auditOutcomes(service: Subgraph, tenants: string[]): Promise<string[]> {
  const db = new Client({ connectionString: databaseUrl(service) });
  await db.connect();
  try {
    const { rows } = await db.query(
      'SELECT DISTINCT outcome FROM audit_log WHERE tenant_id::text = ANY($1) ORDER BY outcome',
      [tenants],
    );
    return rows.map((r: { outcome: string }) => r.outcome);
  } finally {
    await db.end();
  }
}

/** Rows of these tenants in every table of the database that has a tenant_id column. */
async function tenantRows(service: Subgraph, tenants: string[]): Promise<Record<string, number>> {
  const db = new Client({ connectionString: databaseUrl(service) });
  await db.connect();
  try {
    const tables: { table_name: string }[] = (
      await db.query(
        `SELECT table_name FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`,
      )
    ).rows;
    const out: Record<string, number> = {};
    for (const { table_name } of tables) {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM "${table_name}" WHERE tenant_id::text = ANY($1)`,
        [tenants],
      );
      out[table_name] = rows[0].n;
    }
    return out;
  } finally {
    await db.end();
  }
}

async function countCustomers(): Promise<number> {
  const db = new Client({ connectionString: databaseUrl('customers') });
  await db.connect();
  try {
    return (await db.query('SELECT count(*)::int AS n FROM customers')).rows[0].n;
  } finally {
    await db.end();
  }
}

describe('subgraphs are defence in depth, not a softer door', () => {
  let customers: Harness;
  let telephony: { app: { close(): Promise<void> }; url: string; auth: TestAuth };
  const doors = {} as Record<Subgraph, Door>;
  /** One tenant per role that is refused: whatever a refused call wrote would land there. */
  const tenantOf = Object.fromEntries(roles.map((r) => [r, randomUUID()])) as Record<Role, string>;

  beforeAll(async () => {
    customers = await startHarness();
    telephony = await startTelephony();
    doors.customers = {
      url: customers.url,
      sign: (c) => customers.sign(c),
      schema: schemaOf('customers'),
    };
    doors.telephony = {
      url: `${telephony.url}/graphql`,
      sign: (c) => telephony.auth.sign(c),
      schema: schemaOf('telephony'),
    };
  });

  afterAll(async () => {
    delete process.env.THANKSTAR_FORWARDING_SECRET;
    await customers?.close();
    await telephony?.app.close();
  });

  for (const subgraph of ['customers', 'telephony'] as const) {
    it(`${subgraph}: every root field refuses, FORBIDDEN, each role the gateway's matrix refuses, and writes nothing`, async () => {
      const door = doors[subgraph];
      const operations = rootOperations(door.schema);
      expect(operations.length).toBeGreaterThan(10);
      const customersBefore = await countCustomers();
      const refusedCalls: string[] = [];
      const answers: Record<string, string | undefined> = {};
      for (const operation of operations) {
        const rule = authorizationMatrix[operation];
        expect(rule, `${operation} has no row in the authorization matrix`).toBeDefined();
        const { query, variables } = documentFor(door.schema, operation);
        for (const role of roles) {
          const principal = { userId: randomUUID(), tenantId: tenantOf[role], roles: [role], expiresAt: 0 };
          if (authorize(rule, principal) !== 'FORBIDDEN') continue;
          const token = await door.sign({ tenantId: tenantOf[role], roles: [role] });
          const answer = await post(door.url, token, query, variables);
          answers[`${operation} as ${role}`] = answer.body.errors?.[0]?.extensions?.code;
          refusedCalls.push(`${operation} as ${role}`);
        }
      }
      // Field by field: the subgraph refuses exactly where the matrix does.
      expect(Object.entries(answers).filter(([, code]) => code !== 'FORBIDDEN')).toEqual([]);
      // Every operation of the tenant's floor was tried by all three provider roles; the one
      // exception is the subgraph's audit log (操作履歴), which back office and platform admins read
      // across tenants by design (decision 0011): there only sales is refused.
      const auditLog = operations.filter((op) => op === `Query.${subgraph}AuditLog`);
      expect(auditLog).toHaveLength(1);
      const providerRefusals = refusedCalls.filter((c) => /as (back-office|sales|platform-admin)$/.test(c));
      expect(providerRefusals.length).toBe((operations.length - auditLog.length) * 3 + auditLog.length);
      expect(refusedCalls).toContain(`Query.${subgraph}AuditLog as sales`);
      expect(refusedCalls).toContain(
        subgraph === 'customers' ? 'Mutation.createCustomer as back-office' : 'Query.calls as back-office',
      );
      // Nothing was written for any refused caller's tenant, and no customer appeared anywhere.
      const written = await tenantRows(subgraph, Object.values(tenantOf));
      expect(Object.keys(written).length).toBeGreaterThan(0);
      // The audit log (decision 0011) records each refused mutation, as refused: the one table
      // where a refused caller leaves a row, and only a FORBIDDEN one.
      const { audit_log: audited = 0, ...data } = written;
      expect(Object.entries(data).filter(([, n]) => n > 0)).toEqual([]);
      expect(audited).toBeGreaterThan(0);
      expect(await auditOutcomes(subgraph, Object.values(tenantOf))).toEqual(['FORBIDDEN']);
      expect(await countCustomers()).toBe(customersBefore);
    });
  }

  it("customers: back office's createCustomer is refused while an operator's is stored (the same document)", async () => {
    const door = doors.customers;
    const query = 'mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id name } }';
    const input = { name: '山田 太郎' };
    const before = await countCustomers();
    const backOffice = await door.sign({ tenantId: tenantOf['back-office'], roles: ['back-office'] });
    const refused = await post(door.url, backOffice, query, { input });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.body.errors?.[0]?.message).toMatch(/Mutation\.createCustomer/);
    expect(await countCustomers()).toBe(before);

    const operatorTenant = randomUUID();
    const operator = await door.sign({ tenantId: operatorTenant, roles: ['operator'] });
    const stored = await post(door.url, operator, query, { input });
    expect(stored.body.errors, JSON.stringify(stored.body.errors)).toBeUndefined();
    expect(await countCustomers()).toBe(before + 1);
    expect((await tenantRows('customers', [operatorTenant])).customers).toBe(1);
  });

  it('_entities and _service answer only the gateway once the forwarding secret is set', async () => {
    const secret = `subgraph-door-${randomUUID()}`;
    const door = doors.customers;
    const tenant = randomUUID();
    const operator = await door.sign({ tenantId: tenant, roles: ['operator'] });
    const created = await post(
      door.url,
      operator,
      'mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
      { input: { name: '佐藤 花子' } },
    );
    expect(created.body.errors, JSON.stringify(created.body.errors)).toBeUndefined();
    const id = (created.body.data?.createCustomer as { id: string } | undefined)?.id ?? '';
    const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id name } } }';
    const reps = { r: [{ __typename: 'Customer', id }] };

    // No secret configured (a bare local stack): answered, as the services' own tests rely on.
    const open = await post(door.url, operator, entities, reps);
    expect(open.body.data?._entities).toEqual([{ id, name: '佐藤 花子' }]);

    process.env.THANKSTAR_FORWARDING_SECRET = secret;
    try {
      for (const [name, d] of Object.entries(doors)) {
        const token = await d.sign({ tenantId: tenant, roles: ['operator'] });
        const anyEntity = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
        const withoutProof = await post(d.url, token, anyEntity, { r: [{ __typename: 'Tenant', id: tenant }] });
        expect(withoutProof.body.errors?.[0]?.extensions?.code, name).toBe('GATEWAY_PROOF_REQUIRED');
        expect(withoutProof.body.data?._entities ?? null).toBeNull();
        const sdl = await post(d.url, token, '{ _service { sdl } }');
        expect(sdl.body.errors?.[0]?.extensions?.code, name).toBe('GATEWAY_PROOF_REQUIRED');
        expect(JSON.stringify(sdl.body)).not.toContain('@key');
        // Through a fragment is the same field.
        const hidden = await post(d.url, token, 'query { ...F } fragment F on Query { _service { sdl } }');
        expect(hidden.body.errors?.[0]?.extensions?.code, name).toBe('GATEWAY_PROOF_REQUIRED');
      }
      // A proof made for another document, or under another secret, does not open it.
      const other = signGatewayRequest(secret, '{ _service { sdl } }');
      expect((await post(door.url, operator, entities, reps, other)).body.errors?.[0]?.extensions?.code).toBe(
        'GATEWAY_PROOF_REQUIRED',
      );
      const forged = signGatewayRequest(`${secret}-guess`, entities);
      expect((await post(door.url, operator, entities, reps, forged)).body.errors?.[0]?.extensions?.code).toBe(
        'GATEWAY_PROOF_REQUIRED',
      );
      expect(Object.keys(forged)).toEqual([GATEWAY_PROOF_HEADER]);
      // The gateway's proof: answered, still scoped to the token's tenant.
      const proven = await post(door.url, operator, entities, reps, signGatewayRequest(secret, entities));
      expect(proven.body.errors).toBeUndefined();
      expect(proven.body.data?._entities).toEqual([{ id, name: '佐藤 花子' }]);
      // Ordinary operations need no proof: tokens alone decide them.
      const list = await post(door.url, operator, '{ customFieldDefinitions { __typename } }');
      expect(list.body.errors).toBeUndefined();
    } finally {
      delete process.env.THANKSTAR_FORWARDING_SECRET;
    }
  });

  describe('documents over the gateway limits are refused by the subgraph itself', () => {
    /** `__type` introspection nests through ofType as deep as asked: `levels` fields deep. */
    const deep = (levels: number) =>
      `{ __type(name: "Customer") { fields { type ${'{ ofType '.repeat(levels - 4)}{ name }${' }'.repeat(levels - 4)} } } }`;
    const aliased = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: customFieldDefinitions { __typename }`).join(' ')} }`;

    for (const subgraph of ['customers', 'telephony'] as const) {
      it(`${subgraph}: one level deeper than ${defaultQueryLimits.maxDepth}, or one alias over ${defaultQueryLimits.maxAliases}`, async () => {
        const door = doors[subgraph];
        const token = await door.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
        const atLimit = await post(door.url, token, deep(defaultQueryLimits.maxDepth));
        expect(atLimit.body.errors, JSON.stringify(atLimit.body.errors)).toBeUndefined();
        const tooDeep = await post(door.url, token, deep(defaultQueryLimits.maxDepth + 1));
        expect(tooDeep.status).toBe(400);
        expect(tooDeep.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(tooDeep.body.errors?.[0]?.message).toMatch(/depth limit of 10/);
        expect(tooDeep.body.data ?? undefined).toBeUndefined();

        const field = subgraph === 'customers' ? 'customFieldDefinitions' : 'webhookKeys';
        const many = (n: number) => aliased(n).replaceAll('customFieldDefinitions', field);
        const atAliasLimit = await post(door.url, token, many(defaultQueryLimits.maxAliases));
        expect(atAliasLimit.body.errors, JSON.stringify(atAliasLimit.body.errors)).toBeUndefined();
        const tooMany = await post(door.url, token, many(defaultQueryLimits.maxAliases + 1));
        expect(tooMany.status).toBe(400);
        expect(tooMany.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(tooMany.body.errors?.[0]?.message).toMatch(/[Aa]liases limit of 15/);
      });
    }
  });
});
