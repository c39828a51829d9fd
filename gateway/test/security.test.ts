import { randomUUID } from 'node:crypto';
import { kafkaBrokersFromEnv, type Role, roles } from '@thankstar/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationMatrix } from '../src/authorization/authorization-matrix';
import { operationsOf } from '../src/authorization/operations';
import { type GatewayOptions, type RunningGateway, startGateway } from '../src/server';
import { apiSchemaOf, loadSupergraphSdl } from '../src/supergraph/load-supergraph';
import { startTestJwks } from './support/jwks-server';
import { operationFor } from './support/operation-for';

type Jwks = Awaited<ReturnType<typeof startTestJwks>>;
let jwks: Jwks;
let gateway: RunningGateway;
const api = apiSchemaOf(loadSupergraphSdl());

const options = (overrides: Partial<GatewayOptions> = {}): GatewayOptions => ({
  port: 0,
  host: '127.0.0.1',
  instanceId: `sec-${randomUUID().slice(0, 8)}`,
  // Nothing listens there: an allowed call reaches the subgraph step and fails, never a refusal.
  subgraphUrls: Object.fromEntries(
    ['telephony', 'customers', 'billing', 'licensing'].map((n) => [n, 'http://127.0.0.1:9/graphql']),
  ),
  jwksUrl: jwks.url,
  kafkaBrokers: kafkaBrokersFromEnv(),
  introspection: false,
  ...overrides,
});

const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: (() => {
      try {
        return JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[]; data?: unknown };
      } catch {
        return undefined;
      }
    })(),
  };
};
const bearer = async (tenantId: string, r: Role[]) => ({
  authorization: `Bearer ${await jwks.sign({ tenantId, roles: r })}`,
});
const codeOf = (r: Awaited<ReturnType<typeof post>>) => r.json?.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  process.env.KAFKA_GROUP_PREFIX = `gateway-sec-${randomUUID().slice(0, 8)}`;
  jwks = await startTestJwks();
  gateway = await startGateway(
    options({
      limits: {
        maxDepth: 3,
        rateLimits: {
          user: { burst: 1000, perSecond: 1000 },
          tenant: { burst: 1000, perSecond: 1000 },
          anonymous: { burst: 1000, perSecond: 1000 },
          refresh: { burst: 1000, perSecond: 1000 },
        },
      },
    }),
  );
});

afterAll(async () => {
  await gateway?.close();
  await jwks?.close();
});

describe('authorization at the gateway, for every operation of the supergraph', () => {
  const queriesAndMutations = operationsOf(api);

  it.each(queriesAndMutations)('%s refuses an anonymous caller and a role outside its rule', async (operation) => {
    const rule = authorizationMatrix[operation];
    expect(rule, `${operation} has no rule`).toBeDefined();
    if (!rule || rule.roles === 'public') return;
    const query = operationFor(api, operation);

    const anonymous = await post(gateway.url, { query });
    expect(anonymous.status).toBe(401);
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');

    if (rule.roles === 'signed-in') return;
    const allowed = rule.roles;
    const outsider = roles.filter((r) => !allowed.includes(r));
    for (const role of outsider) {
      const refused = await post(gateway.url, { query }, await bearer(randomUUID(), [role]));
      expect(refused.status, `${operation} as ${role}`).toBe(403);
      expect(codeOf(refused)).toBe('FORBIDDEN');
    }
    // An allowed role passes the gateway's check and reaches the (absent) subgraph, whose
    // failure is masked: no internal address or stack trace leaks.
    const passed = await post(gateway.url, { query }, await bearer(randomUUID(), [allowed[0] as Role]));
    expect(codeOf(passed)).toBe('INTERNAL_SERVER_ERROR');
    expect(passed.text).not.toMatch(/127\.0\.0\.1|stacktrace|ECONNREFUSED/);
  });
});

describe('HTTP protections', () => {
  it('refuses a bad or expired token with 401 and a stable code', async () => {
    const bad = await post(gateway.url, { query: '{ me { id } }' }, { authorization: 'Bearer nope' });
    expect([bad.status, codeOf(bad)]).toEqual([401, 'UNAUTHENTICATED']);
    const expired = await post(
      gateway.url,
      { query: '{ me { id } }' },
      {
        authorization: `Bearer ${await jwks.sign({ tenantId: randomUUID(), ttlSeconds: -60 })}`,
      },
    );
    expect([expired.status, codeOf(expired)]).toEqual([401, 'TOKEN_EXPIRED']);
  });

  it('refuses too deep, too many aliases, batches, and a body over the limit', async () => {
    const auth = await bearer(randomUUID(), ['operator']);
    // The schema has no cycles today, so the test gateway runs with a depth limit of 3.
    const tooDeep = await post(gateway.url, { query: '{ me { tenant { contract { id } } } }' }, auth);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.text).toMatch(/depth/i);

    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: me { id }`).join(' ');
    const tooManyAliases = await post(gateway.url, { query: `{ ${aliases} }` }, auth);
    expect(tooManyAliases.status).toBe(400);
    expect(tooManyAliases.text).toMatch(/alias/i);

    const batch = await post(gateway.url, [{ query: '{ me { id } }' }, { query: '{ me { id } }' }], auth);
    expect(batch.status).toBe(400);

    const big = await post(gateway.url, { query: `{ me { id } } # ${'x'.repeat(300 * 1024)}` }, auth);
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a document over the token limit with 400 GRAPHQL_PARSE_FAILED, not 500', async () => {
    const auth = await bearer(randomUUID(), ['operator']);
    // `mutation { markMissedCallsSeen ( callIds : [ …n ids… ] ) }` is 9 + n tokens: the same
    // shape just over (2,100) and just under (1,999) the default limit of 2,000.
    const document = (n: number) =>
      `mutation { markMissedCallsSeen(callIds: [${Array.from({ length: n }, () => `"${randomUUID()}"`).join(' ')}]) }`;
    const overLimit = await post(gateway.url, { query: document(2_091) }, auth);
    expect(overLimit.status).toBe(400);
    expect(codeOf(overLimit)).toBe('GRAPHQL_PARSE_FAILED');
    expect(overLimit.json?.errors?.[0]?.message).toMatch(/2000 tokens/);
    // Just under the limit it is parsed, validated and sent on (to the absent subgraph).
    const underLimit = await post(gateway.url, { query: document(1_990) }, auth);
    expect(underLimit.status, underLimit.text.slice(0, 300)).toBe(200);
    expect(codeOf(underLimit)).toBe('INTERNAL_SERVER_ERROR');
  });

  it('refuses a simple GET that could be a cross-site request (CSRF)', async () => {
    const res = await fetch(`${gateway.url}?query=${encodeURIComponent('{ me { id } }')}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/i);
  });

  it('has introspection off when configured so', async () => {
    const res = await post(gateway.url, { query: '{ __schema { queryType { name } } }' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/introspection/i);
  });

  it('limits the rate per user and per tenant', async () => {
    const limited = await startGateway(
      options({
        limits: {
          rateLimits: {
            user: { burst: 3, perSecond: 0.001 },
            tenant: { burst: 5, perSecond: 0.001 },
            anonymous: { burst: 2, perSecond: 0.001 },
            refresh: { burst: 2, perSecond: 0.001 },
          },
        },
      }),
    );
    try {
      const tenant = randomUUID();
      const first = await bearer(tenant, ['operator']);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await post(limited.url, { query: '{ me { id } }' }, first)).status);
      expect(statuses.slice(0, 3)).not.toContain(429);
      expect(statuses[3]).toBe(429);
      // A second user of the same tenant gets the tenant's remaining 2, then the tenant is out.
      const second = await bearer(tenant, ['operator']);
      const more = [];
      for (let i = 0; i < 3; i++) more.push((await post(limited.url, { query: '{ me { id } }' }, second)).status);
      expect(more.slice(0, 2)).not.toContain(429);
      expect(more[2]).toBe(429);
      const other = await post(limited.url, { query: '{ me { id } }' }, await bearer(randomUUID(), ['operator']));
      expect(other.status).not.toBe(429);
      const anon = [];
      for (let i = 0; i < 3; i++)
        anon.push(
          (await post(limited.url, { query: 'mutation { login(email: "a@b.c", password: "x") { accessToken } }' }))
            .status,
        );
      expect(anon[2]).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
