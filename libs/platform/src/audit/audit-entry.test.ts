import type { OperationDefinitionNode } from 'graphql/index.js';
import { buildSchema, parse } from 'graphql/index.js';
import { describe, expect, it } from 'vitest';
import {
  type AuditActor,
  auditTargets,
  auditTenant,
  isAuditedRest,
  mutationAuditEntries,
  redactAuditArguments,
  restAuditEntry,
} from './audit-entry';

const schema = buildSchema(`
  type Key { keyId: String! label: String }
  type Created { secret: String! key: Key! }
  type Customer { id: ID! name: String }
  input CustomerInput { name: String phone: String email: String note: String }
  type Query { x: Int }
  type Mutation {
    createWebhookKey(label: String): Created!
    createCustomer(input: CustomerInput!): Customer!
    removeLine(id: ID!): Boolean!
    login(email: String!, password: String!): String
    closeMonth(tenantId: ID!, month: String!): Customer
    connectTwilio(accountSid: String!, authToken: String!): String!
  }
`);

const admin: AuditActor = { userId: 'u-1', tenantId: 't-a', name: '管理 太郎', roles: ['tenant-admin'] };
const platform: AuditActor = { userId: 'u-9', tenantId: 't-p', name: 'Ops', roles: ['platform-admin'] };
const at = new Date('2026-12-07T00:00:00Z');

function entries(
  document: string,
  options: { variables?: Record<string, unknown>; data?: unknown; errors?: unknown[]; actor?: AuditActor | null },
) {
  const operation = parse(document).definitions[0] as OperationDefinitionNode;
  return mutationAuditEntries({
    schema,
    operation,
    fragments: {},
    variables: options.variables,
    data: options.data as Record<string, unknown>,
    errors: options.errors as never,
    actor: options.actor === undefined ? admin : options.actor,
    at,
  });
}

describe('mutationAuditEntries', () => {
  it('records each root field with its actor, tenant, targets from the result and outcome', () => {
    const [entry, ...rest] = entries('mutation($l: String) { createWebhookKey(label: $l) { secret key { keyId } } }', {
      variables: { l: 'PBX' },
      data: { createWebhookKey: { secret: 'whsec_abc', key: { keyId: 'k-1' } } },
    });
    expect(rest).toEqual([]);
    expect(entry).toEqual({
      at,
      tenantId: 't-a',
      actor: admin,
      operation: 'Mutation.createWebhookKey',
      targets: ['k-1'],
      outcome: 'ok',
      arguments: { label: 'PBX' },
      traceId: undefined,
    });
    expect(JSON.stringify(entry)).not.toContain('whsec_abc');
  });

  it("gives each field its own outcome: the error code on the field's path", () => {
    const got = entries('mutation { a: removeLine(id: "l-1") b: removeLine(id: "l-2") }', {
      data: { a: true, b: null },
      errors: [{ message: 'x', path: ['b'], extensions: { code: 'NOT_FOUND' } }],
    });
    expect(got.map((e) => [e.targets, e.outcome])).toEqual([
      [['l-1'], 'ok'],
      [['l-2'], 'NOT_FOUND'],
    ]);
  });

  it('an error with no path (the operation was refused before it ran) fails every field', () => {
    const got = entries('mutation { removeLine(id: "l-1") }', {
      errors: [{ message: 'x', extensions: { code: 'FORBIDDEN' } }],
    });
    expect(got.map((e) => e.outcome)).toEqual(['FORBIDDEN']);
  });

  it('never stores secrets or personal data', () => {
    const [twilio] = entries('mutation { connectTwilio(accountSid: "AC1", authToken: "tok-secret") }', {
      data: { connectTwilio: 'ok' },
    });
    expect(JSON.stringify(twilio)).not.toContain('tok-secret');
    const [customer] = entries('mutation($i: CustomerInput!) { createCustomer(input: $i) { id } }', {
      variables: { i: { name: '山田 花子', phone: '090-1234-5678', email: 'h@example.jp', note: '折り返し希望' } },
      data: { createCustomer: { id: 'c-1' } },
    });
    const stored = JSON.stringify(customer);
    for (const personal of ['山田', '090-1234-5678', 'h@example.jp', '折り返し'])
      expect(stored).not.toContain(personal);
    expect(customer?.targets).toEqual(['c-1']);
  });

  it('does not record sign-in, nor an anonymous call that changed nothing', () => {
    expect(entries('mutation { login(email: "a@b.c", password: "p") }', { data: { login: 'x' } })).toEqual([]);
    expect(
      entries('mutation { removeLine(id: "l-1") }', {
        actor: null,
        errors: [{ message: 'x', path: ['removeLine'], extensions: { code: 'UNAUTHENTICATED' } }],
      }),
    ).toEqual([]);
  });

  it("files a provider's change under the tenant it names", () => {
    const [entry] = entries('mutation { closeMonth(tenantId: "t-b", month: "2026-11") { id } }', {
      actor: platform,
      data: { closeMonth: { id: 'inv-1' } },
    });
    expect(entry?.tenantId).toBe('t-b');
    expect(auditTenant(admin, { tenantId: 't-b' })).toBe('t-a');
  });
});

describe('REST', () => {
  it('records what changes data, not reads, webhooks, GraphQL or leases', () => {
    expect(isAuditedRest('POST', '/v1/customers/import')).toBe(true);
    expect(isAuditedRest('POST', '/v1/outbox/parked/12/replay')).toBe(true);
    expect(isAuditedRest('GET', '/v1/invoices/1/pdf')).toBe(false);
    expect(isAuditedRest('POST', '/graphql')).toBe(false);
    expect(isAuditedRest('POST', '/v1/calls/events')).toBe(false);
    expect(isAuditedRest('POST', '/v1/twilio/voice')).toBe(false);
    expect(isAuditedRest('POST', '/v1/leases/1/heartbeat')).toBe(false);
    expect(isAuditedRest('DELETE', '/v1/desktop-leases/1')).toBe(false);
  });

  it('keeps the route, its parameters as targets and the outcome, never the body', () => {
    const entry = restAuditEntry({
      method: 'post',
      route: '/v1/outbox/parked/:id/replay',
      params: { id: '12' },
      query: { token: 'x' },
      status: 404,
      errorCode: 'NOT_FOUND',
      actor: platform,
      at,
    });
    expect(entry).toMatchObject({
      operation: 'POST /v1/outbox/parked/:id/replay',
      targets: ['12'],
      outcome: 'NOT_FOUND',
      arguments: { token: '[redacted]' },
    });
  });
});

describe('arguments and targets', () => {
  it('keeps a long text as its length and a huge value as its keys', () => {
    expect(redactAuditArguments({ contentBase64: 'a'.repeat(1000) })).toEqual({ contentBase64: '[1000文字]' });
    const huge = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'x'.repeat(150)]));
    expect(redactAuditArguments(huge)).toMatchObject({ truncated: true });
  });

  it('finds ids in arguments (two levels) and in the result (one level), not tenantId', () => {
    expect(
      auditTargets(
        { tenantId: 't', customerId: 'c', input: { callIds: ['x', 'y'] } },
        { id: 'r', inner: { keyId: 'k' } },
      ),
    ).toEqual(['c', 'x', 'y', 'r', 'k']);
  });
});
