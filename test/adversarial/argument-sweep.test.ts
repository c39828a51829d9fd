import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  authorizationMatrix,
  authorize,
  idArgumentsNotUuid,
  kafkaBrokersFromEnv,
  MAX_STRING_ARGUMENT,
  type Role,
  roles,
  stringArgumentLimits,
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
  isScalarType,
  parse,
} from 'graphql/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../gateway/src/server';
import { apiSchemaOf, loadSupergraphSdl } from '../../gateway/src/supergraph/load-supergraph';
import { startTestJwks } from '../../gateway/test/support/jwks-server';

/**
 * Issue "Every bad input gets a clear 4xx", item 2: EVERY argument of every root field, and every
 * field of every input object under it, gets hostile values: NUL, a lone surrogate, a string over
 * the 100,000-character limit, a 1 MB string, a non-UUID for an ID, numbers out of range, an
 * unknown enum value. Nothing may answer 5xx or INTERNAL/INTERNAL_SERVER_ERROR; the values the
 * argument rules own must be refused BAD_USER_INPUT naming the argument.
 *
 * Twice: through the real gateway over the composed supergraph (it refuses before forwarding), and
 * straight at each of the four subgraphs booted in-process on real Postgres and Kafka (each refuses
 * by itself, with the token of a role its guard admits, so the refusal is the arguments').
 */

type Json = { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } | undefined;
interface Answer {
  status: number;
  body: Json;
}

async function post(url: string, token: string | undefined, query: string, variables: object): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: Json;
  try {
    body = JSON.parse(text) as Json;
  } catch {
    body = undefined;
  }
  return { status: res.status, body };
}

/** A value GraphQL accepts for this type (only required input fields), so one slot at a time is hostile. */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]?.name;
  if (isInputObjectType(type))
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
        .map((f) => [f.name, sample(f.type)]),
    );
  if (type.name === 'Int' || type.name === 'Float') return 1;
  if (type.name === 'Boolean') return false;
  if (type.name === 'ID') return randomUUID();
  return 'x';
}

/** One step from the arguments down to a slot: a key (or list item 0) and the type found there. */
interface Step {
  key: string | 0;
  type: GraphQLInputType;
}

/** One place a value can go: an argument, or a field of an input object (through lists) under it. */
interface Slot {
  /** Argument name, then input fields and list items: `filter.lineId`, `input.phones[0].number`. */
  path: string;
  /** Schema coordinate the argument rules use. */
  coordinate: string;
  type: GraphQLInputType;
  steps: Step[];
}

/** Puts `value` at the slot, filling the containers on the way with their samples. */
function place(args: Record<string, unknown>, steps: Step[], value: unknown): void {
  let holder = args as Record<string | number, unknown>;
  steps.forEach((step, i) => {
    if (i === steps.length - 1) {
      holder[step.key] = value;
      return;
    }
    if (holder[step.key] === undefined || holder[step.key] === null) holder[step.key] = sample(step.type);
    holder = holder[step.key] as Record<string | number, unknown>;
  });
}

const rootField = (schema: GraphQLSchema, operation: string) => {
  const [typeName, fieldName] = operation.split('.') as ['Query' | 'Mutation', string];
  const field = (typeName === 'Query' ? schema.getQueryType() : schema.getMutationType())?.getFields()[fieldName];
  if (!field) throw new Error(`${operation} is not in the schema`);
  return field;
};

function slotsOf(schema: GraphQLSchema, operation: string): Slot[] {
  const [typeName, fieldName] = operation.split('.') as [string, string];
  const slots: Slot[] = [];
  const walk = (type: GraphQLInputType, path: string, coordinate: string, steps: Step[], seen: ReadonlySet<string>) => {
    slots.push({ path, coordinate, type, steps });
    // Down through lists (item 0) to an input object, then into each of its fields.
    let inner: GraphQLInputType = isNonNullType(type) ? type.ofType : type;
    let at = steps;
    let itemPath = path;
    while (isListType(inner)) {
      const item: GraphQLInputType = inner.ofType;
      at = [...at, { key: 0, type: item }];
      itemPath = `${itemPath}[0]`;
      inner = isNonNullType(item) ? item.ofType : item;
    }
    if (!isInputObjectType(inner) || seen.has(inner.name)) return;
    for (const f of Object.values(inner.getFields())) {
      walk(
        f.type,
        `${itemPath}.${f.name}`,
        `${inner.name}.${f.name}`,
        [...at, { key: f.name, type: f.type }],
        new Set([...seen, inner.name]),
      );
    }
  };
  for (const arg of rootField(schema, operation).args)
    walk(arg.type, arg.name, `${typeName}.${fieldName}(${arg.name}:)`, [{ key: arg.name, type: arg.type }], new Set());
  return slots;
}

interface Hostile {
  name: string;
  value: unknown;
  /**
   * RULE: the argument rules refuse it (400 BAD_USER_INPUT naming the argument); COERCION:
   * graphql-js refuses it (BAD_USER_INPUT); TOO_LARGE: the body limit (413); ANY: a value the
   * rules allow here (a call source id, a CSV in base64): any answer but a 5xx or INTERNAL.
   */
  expect: 'RULE' | 'COERCION' | 'TOO_LARGE' | 'ANY';
}

const ONE_MB = 'x'.repeat(1024 * 1024);
const OVER_LIMIT = 'y'.repeat(MAX_STRING_ARGUMENT + 1);

function hostileValuesFor(slot: Slot): Hostile[] {
  const named = getNamedType(slot.type);
  const wrap = (v: unknown) => listWrap(slot.type, v);
  if (isScalarType(named) && (named.name === 'String' || named.name === 'ID')) {
    const values: Hostile[] = [
      { name: 'NUL', value: wrap('a\u0000b'), expect: 'RULE' },
      { name: 'lone surrogate', value: wrap('a\uD800b'), expect: 'RULE' },
      {
        name: 'over 100,000 chars',
        value: wrap(OVER_LIMIT),
        expect: stringArgumentLimits[slot.coordinate] ? 'ANY' : 'RULE',
      },
      { name: '1 MB', value: wrap(ONE_MB), expect: 'TOO_LARGE' },
    ];
    if (named.name === 'ID')
      values.push({
        name: 'non-UUID',
        value: wrap('x'),
        expect: idArgumentsNotUuid.has(slot.coordinate) ? 'ANY' : 'RULE',
      });
    return values;
  }
  if (isScalarType(named) && named.name === 'Int')
    return [
      { name: '2^31', value: wrap(2 ** 31), expect: 'COERCION' },
      { name: '-2^31-1', value: wrap(-(2 ** 31) - 1), expect: 'COERCION' },
      { name: '1e300', value: wrap(1e300), expect: 'COERCION' },
      { name: '1.5', value: wrap(1.5), expect: 'COERCION' },
      // In range for GraphQL, out of range for the rule behind it (a LIMIT, a count, yen): the
      // service's own check must answer, never the database.
      { name: '-1', value: wrap(-1), expect: 'ANY' },
      { name: '0', value: wrap(0), expect: 'ANY' },
      { name: '2^31-1', value: wrap(2 ** 31 - 1), expect: 'ANY' },
      { name: '-2^31', value: wrap(-(2 ** 31)), expect: 'ANY' },
    ];
  if (isScalarType(named) && named.name === 'Float')
    return [{ name: 'max double', value: wrap(Number.MAX_VALUE), expect: 'ANY' }];
  if (isEnumType(named)) return [{ name: 'unknown enum', value: wrap('NOT_A_VALUE'), expect: 'COERCION' }];
  return [];
}

/** A scalar for a list slot goes in as a one-item list. */
function listWrap(type: GraphQLInputType, value: unknown): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  return isListType(inner) ? [listWrap(inner.ofType, value)] : value;
}

const rootOperations = (schema: GraphQLSchema) =>
  [schema.getQueryType(), schema.getMutationType()].flatMap((t) =>
    t
      ? Object.keys(t.getFields())
          .filter((f) => !f.startsWith('_'))
          .map((f) => `${t.name}.${f}`)
      : [],
  );

function documentFor(schema: GraphQLSchema, operation: string): string {
  const [typeName, fieldName] = operation.split('.') as ['Query' | 'Mutation', string];
  const field = rootField(schema, operation);
  const declared = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const passed = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${typeName === 'Query' ? 'query' : 'mutation'}${declared ? `(${declared})` : ''} { ${fieldName}${passed ? `(${passed})` : ''}${selection} }`;
}

/** A role the authorization matrix admits for the operation, so the guard is not what refuses. */
function admittedRole(operation: string): Role {
  const rule = authorizationMatrix[operation];
  const role = roles.find(
    (r) => authorize(rule, { userId: randomUUID(), tenantId: randomUUID(), roles: [r], expiresAt: 0 }) === 'ALLOWED',
  );
  if (!role) throw new Error(`${operation}: no role is admitted`);
  return role;
}

interface Outcome {
  call: string;
  /** The slot's path: the rules name it (or an item of it, `callIds[0]`). */
  path: string;
  status: number;
  code: unknown;
  argument: unknown;
  expected: Hostile['expect'];
}

/** Sends every hostile value to every slot of every root field of `schema` at `url`. */
async function sweep(
  schema: GraphQLSchema,
  url: string,
  sign: (tenantId: string, role: Role) => Promise<string>,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const operation of rootOperations(schema)) {
    const token = await sign(randomUUID(), admittedRole(operation));
    const field = rootField(schema, operation);
    const query = documentFor(schema, operation);
    for (const slot of slotsOf(schema, operation)) {
      for (const hostile of hostileValuesFor(slot)) {
        // Every required argument has its sample; only this slot is hostile.
        const args: Record<string, unknown> = Object.fromEntries(
          field.args
            .filter((a) => isNonNullType(a.type) && a.defaultValue === undefined)
            .map((a) => [a.name, sample(a.type)]),
        );
        place(args, slot.steps, hostile.value);
        const answer = await post(url, token, query, args);
        outcomes.push({
          call: `${operation} ${slot.path} ← ${hostile.name}`,
          path: slot.path,
          status: answer.status,
          code: answer.body?.errors?.[0]?.extensions?.code,
          argument: answer.body?.errors?.[0]?.extensions?.argument,
          expected: hostile.expect,
        });
      }
    }
  }
  return outcomes;
}

function expectNoInternal(outcomes: Outcome[]): void {
  const internal = outcomes.filter(
    (o) => o.status >= 500 || o.code === 'INTERNAL' || o.code === 'INTERNAL_SERVER_ERROR',
  );
  expect(internal).toEqual([]);
  const show = (o: Outcome) => `${o.call}: ${o.status} ${String(o.code)} ${String(o.argument)}`;
  // The argument rules refuse what they own with 400 BAD_USER_INPUT, naming the argument.
  expect(
    outcomes
      .filter((o) => o.expected === 'RULE')
      .filter(
        (o) =>
          o.status !== 400 ||
          o.code !== 'BAD_USER_INPUT' ||
          typeof o.argument !== 'string' ||
          !o.argument.startsWith(o.path),
      )
      .map(show),
  ).toEqual([]);
  expect(
    outcomes.filter((o) => o.expected === 'COERCION' && (o.code !== 'BAD_USER_INPUT' || o.status !== 400)).map(show),
  ).toEqual([]);
  expect(outcomes.filter((o) => o.expected === 'TOO_LARGE' && o.status !== 413).map(show)).toEqual([]);
}

const root = join(__dirname, '..', '..');
const subgraphSchema = (name: string) =>
  buildSubgraphSchema(parse(readFileSync(join(root, 'services', name, 'schema.graphql'), 'utf8')));

describe('hostile values in every argument (real gateway, real subgraphs)', { timeout: 600_000 }, () => {
  it('the gateway refuses them over the composed supergraph before forwarding', async () => {
    const jwks = await startTestJwks();
    process.env.KAFKA_GROUP_PREFIX = `argument-sweep-${randomUUID().slice(0, 8)}`;
    const gateway = await startGateway({
      port: 0,
      host: '127.0.0.1',
      instanceId: `sweep-${randomUUID().slice(0, 8)}`,
      // Nothing listens there: whatever the gateway forwarded would come back INTERNAL_SERVER_ERROR.
      subgraphUrls: Object.fromEntries(
        ['telephony', 'customers', 'billing', 'licensing'].map((n) => [n, 'http://127.0.0.1:9/graphql']),
      ),
      jwksUrl: jwks.url,
      kafkaBrokers: kafkaBrokersFromEnv(),
      introspection: false,
      limits: {
        rateLimits: {
          user: { burst: 1e6, perSecond: 1e6 },
          tenant: { burst: 1e6, perSecond: 1e6 },
          anonymous: { burst: 1e6, perSecond: 1e6 },
          refresh: { burst: 1e6, perSecond: 1e6 },
        },
      },
    });
    try {
      const api = apiSchemaOf(loadSupergraphSdl());
      const outcomes = await sweep(api, gateway.url, (tenantId, role) => jwks.sign({ tenantId, roles: [role] }));
      expect(outcomes.length).toBeGreaterThan(500);
      // The exact case of the issue.
      expect(outcomes.find((o) => o.call === 'Query.calls filter.lineId ← non-UUID')).toMatchObject({
        status: 400,
        code: 'BAD_USER_INPUT',
        argument: 'filter.lineId',
      });
      // Forwarded values (the 100,000+ chars allowed for contentBase64, a call source id) reach the
      // absent subgraph: those are the only INTERNAL_SERVER_ERRORs allowed here, and must be few.
      const forwarded = outcomes.filter((o) => o.code === 'INTERNAL_SERVER_ERROR');
      expect(forwarded.filter((o) => o.expected !== 'ANY').map((o) => o.call)).toEqual([]);
      expectNoInternal(outcomes.filter((o) => o.code !== 'INTERNAL_SERVER_ERROR'));
      console.info(`gateway sweep: ${outcomes.length} calls, ${forwarded.length} forwarded`);
    } finally {
      await gateway.close();
      await jwks.close();
    }
  });

  describe('each subgraph refuses them by itself', () => {
    const closers: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    });

    it('customers', async () => {
      const { startHarness } = await import('../../services/customers/test/support');
      const h = await startHarness();
      closers.push(() => h.close());
      const outcomes = await sweep(subgraphSchema('customers'), h.url, (tenantId, role) =>
        h.sign({ tenantId, roles: [role] }),
      );
      expect(outcomes.length).toBeGreaterThan(200);
      expectNoInternal(outcomes);
      console.info(`customers sweep: ${outcomes.length} calls`);

      // The only arguments below the root fields: Customer.purchases(limit:) and interactions(limit:),
      // on a customer that exists so the fields resolve.
      const token = await h.sign({ tenantId: randomUUID(), roles: ['operator'] });
      const created = await post(h.url, token, 'mutation { createCustomer(input: { name: "山田 太郎" }) { id } }', {});
      const id = (created.body.data as { createCustomer: { id: string } }).createCustomer.id;
      const nested =
        'query($id: ID!, $l: Int) { customer(id: $id) { purchases(limit: $l) { id } interactions(limit: $l) { id } } }';
      for (const l of [-1, 0, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 'x']) {
        const answer = await post(h.url, token, nested, { id, l });
        const code = answer.body?.errors?.[0]?.extensions?.code;
        expect(answer.status, `limit ${l}`).toBeLessThan(500);
        expect(['INTERNAL', 'INTERNAL_SERVER_ERROR'], `limit ${l}: ${JSON.stringify(answer.body)}`).not.toContain(code);
      }
    });

    it('telephony', async () => {
      const { startTelephony } = await import('../../services/telephony/test/harness');
      const t = await startTelephony();
      closers.push(() => t.app.close());
      const outcomes = await sweep(subgraphSchema('telephony'), `${t.url}/graphql`, (tenantId, role) =>
        t.auth.sign({ tenantId, roles: [role] }),
      );
      expect(outcomes.find((o) => o.call === 'Query.calls filter.lineId ← non-UUID')).toMatchObject({
        status: 400,
        code: 'BAD_USER_INPUT',
        argument: 'filter.lineId',
      });
      expectNoInternal(outcomes);
      console.info(`telephony sweep: ${outcomes.length} calls`);
    });

    it('billing', async () => {
      const { startTestApp } = await import('../../services/billing/test/support');
      const b = await startTestApp();
      closers.push(() => b.close());
      const outcomes = await sweep(subgraphSchema('billing'), `${b.url}/graphql`, (tenantId, role) =>
        b.sign({ tenantId, roles: [role] }),
      );
      expectNoInternal(outcomes);
      console.info(`billing sweep: ${outcomes.length} calls`);
    });

    it('licensing', async () => {
      // Last: licensing's test support switches THANKSTAR_DB_SUFFIX for the rest of the process.
      const { startTestApp } = await import('../../services/licensing/test/support');
      const l = await startTestApp();
      closers.push(() => l.close());
      const outcomes = await sweep(subgraphSchema('licensing'), `${l.url}/graphql`, (tenantId, role) =>
        l.sign({ tenantId, roles: [role] }),
      );
      // NUL in a sign-in e-mail, the other case of the issue.
      expect(outcomes.find((o) => o.call === 'Mutation.login email ← NUL')).toMatchObject({
        status: 400,
        code: 'BAD_USER_INPUT',
        argument: 'email',
      });
      expectNoInternal(outcomes);
      console.info(`licensing sweep: ${outcomes.length} calls`);
    });
  });
});
