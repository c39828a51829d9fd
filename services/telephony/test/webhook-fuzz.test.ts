import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { callEventKinds } from '@thankstar/contracts';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, postSigned, ringBody, startTelephony } from './harness';

const DAY_MS = 86_400_000;
const lone = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '\u0000');
/** Any string, often with a lone surrogate or NUL somewhere in it. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.tuple(fc.string({ maxLength: 10 }), lone, fc.string({ maxLength: 10 })).map((p) => p.join('')),
  fc.string({ minLength: 190, maxLength: 400 }),
);
const offset = fc
  .integer({ min: -14 * 60, max: 14 * 60 })
  .map(
    (m) =>
      `${m < 0 ? '-' : '+'}${String(Math.floor(Math.abs(m) / 60)).padStart(2, '0')}:${String(Math.abs(m) % 60).padStart(2, '0')}`,
  );
/** RFC 3339 dates from year 0000 to 9999 with any offset, and some that no PBX sends. */
const hostileDate = fc.oneof(
  fc
    .tuple(
      fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
      offset,
    )
    .map(([d, o]) => `${d.toISOString().slice(0, 19)}${o}`),
  fc.constantFrom(
    '0000-01-01T00:00:00-14:00',
    '9999-12-31T23:59:59-14:00',
    '0000-01-01T00:00:00+14:00',
    '+275760-09-13T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '1970-01-01T00:00:00Z',
  ),
  fc.integer().map((n) => new Date(Date.now() + n * 1000).toISOString()),
);
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }),
);
const fields = ['callId', 'event', 'from', 'to', 'occurredAt', 'extension', 'operatorId'] as const;
type Mutation = { field: (typeof fields)[number]; value: unknown } | { field: (typeof fields)[number]; remove: true };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ field: fc.constantFrom(...fields), value: fc.oneof(hostileString, wrongType) }),
  fc.record({ field: fc.constant('occurredAt' as const), value: hostileDate }),
  fc.record({ field: fc.constantFrom(...fields), remove: fc.constant(true as const) }),
);

/** A valid event body: a fresh call id, any event kind, an event time inside the accepted window. */
const validBody = fc.record({
  callId: fc.uuid().map((u) => `fuzz-${u}`),
  event: fc.constantFrom(...callEventKinds),
  from: fc.constantFrom('090-1111-2222', '+81 3 1234 5678', 'P', 'anonymous', '12345'),
  to: fc.constantFrom('03-1234-5678', '0312345678', '+81312345678'),
  occurredAt: fc.integer({ min: -89 * DAY_MS, max: 23 * 3_600_000 }).map((d) => new Date(Date.now() + d).toISOString()),
  extension: fc.option(fc.constantFrom('201', '305', '内線9'), { nil: undefined }),
  operatorId: fc.option(fc.constantFrom('op-1', '佐藤', '担当😀'), { nil: undefined }),
});
const extraFields = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !(fields as readonly string[]).includes(k)),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 3 },
);
const fuzzCase = fc
  .record({
    body: validBody,
    extra: fc.option(extraFields, { nil: undefined }),
    mutations: fc.oneof(
      { weight: 1, arbitrary: fc.constant([] as Mutation[]) },
      { weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) },
    ),
  })
  .map(({ body, extra, mutations }) => {
    const value: Record<string, unknown> = { ...extra, ...body };
    for (const m of mutations) {
      if ('remove' in m) delete value[m.field];
      else value[m.field] = m.value;
    }
    return { value, valid: mutations.length === 0, callId: body.callId };
  });

describe('webhook under hostile input (real HTTP, real Postgres)', () => {
  let app: INestApplication;
  let url: string;
  let key: { keyId: string; secret: string };
  const tenant = randomUUID();
  const burst = process.env.TELEPHONY_RATE_LIMIT_BURST;

  beforeAll(async () => {
    // The fuzz posts thousands of events for one tenant: the rate limit is not what is tested.
    process.env.TELEPHONY_RATE_LIMIT_BURST = '1000000000';
    ({ app, url } = await startTelephony());
    key = await createKey(app, tenant);
  });

  afterAll(async () => {
    if (burst === undefined) delete process.env.TELEPHONY_RATE_LIMIT_BURST;
    else process.env.TELEPHONY_RATE_LIMIT_BURST = burst;
    await app?.close();
  });

  // The cases that answered 500 before: each is now a 400 with a stable code.
  it.each([
    ['a lone high surrogate in callId', { callId: 'call-\ud800' }, 'INVALID_BODY', 'callId'],
    ['a lone low surrogate in extension', { extension: '20\udc01' }, 'INVALID_BODY', 'extension'],
    ['a lone surrogate in operatorId', { operatorId: '\udbff' }, 'INVALID_BODY', 'operatorId'],
    ['NUL in operatorId', { operatorId: 'op\u0000' }, 'INVALID_BODY', 'operatorId'],
    ['a 201-character callId', { callId: 'x'.repeat(201) }, 'INVALID_BODY', 'callId'],
    ['year 0000 at -14:00', { occurredAt: '0000-01-01T00:00:00-14:00' }, 'OCCURRED_AT_OUT_OF_RANGE', 'occurredAt'],
    ['year 9999 at -14:00', { occurredAt: '9999-12-31T23:59:59-14:00' }, 'OCCURRED_AT_OUT_OF_RANGE', 'occurredAt'],
    [
      '91 days before receipt',
      { occurredAt: new Date(Date.now() - 91 * DAY_MS).toISOString() },
      'OCCURRED_AT_OUT_OF_RANGE',
      'occurredAt',
    ],
    [
      '2 days after receipt',
      { occurredAt: new Date(Date.now() + 2 * DAY_MS).toISOString() },
      'OCCURRED_AT_OUT_OF_RANGE',
      'occurredAt',
    ],
  ])('refuses %s with 400', async (_name, overrides, code, path) => {
    const res = await postSigned(url, key, ringBody(randomUUID(), overrides));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code, message: expect.any(String) });
    expect((res.json.details as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(path);
  });

  it('accepts a PBX replay eight days late (年末年始) and a well-formed emoji', async () => {
    const late = await postSigned(
      url,
      key,
      ringBody(randomUUID(), { occurredAt: new Date(Date.now() - 8 * DAY_MS).toISOString(), operatorId: '担当😀' }),
    );
    expect(late.status).toBe(202);
  });

  it('answers 10,000 random and mutated signed bodies with no 5xx, and every valid one with 202', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    const cases = fc.sample(fuzzCase, { numRuns: 10_000, seed });
    const failures: unknown[] = [];
    const stored: string[] = [];
    let next = 0;
    // 16 requests in flight: fast, and the writer groups their commits as in production.
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++];
        if (!c) break;
        const res = await postSigned(url, key, c.value);
        const ok = c.valid
          ? res.status === 202
          : res.status < 500 && (res.status === 202 || typeof res.json.code === 'string');
        if (!ok && failures.length < 10) failures.push({ status: res.status, json: res.json, body: c.value });
        if (c.valid && res.status === 202) stored.push(c.callId);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(failures, `seed ${seed}`).toEqual([]);
    // Enough of each kind was posted for the property to mean something.
    const validCount = cases.filter((c) => c.valid).length;
    expect(validCount).toBeGreaterThan(1_500);
    expect(cases.length - validCount).toBeGreaterThan(6_500);
    // What was accepted is stored.
    const [row] = await app
      .get(DataSource)
      .query('SELECT count(*)::int AS n FROM calls WHERE tenant_id = $1 AND call_id = ANY($2::text[])', [
        tenant,
        stored,
      ]);
    expect(row.n).toBe(new Set(stored).size);
  }, 300_000);
});
