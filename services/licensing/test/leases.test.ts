import { randomUUID } from 'node:crypto';
import { CONTRACTS_TOPIC, contractChangedSchema, type SessionEvent } from '@thankstar/contracts';
import { KafkaJsBus, kafkaBrokersFromEnv } from '@thankstar/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeasesService } from '../src/leases/leases.service';
import { collectSessionEvents, eventually, startTestApp, type TestApp } from './support';

let t: TestApp;
let sessions: Awaited<ReturnType<typeof collectSessionEvents>>;

beforeAll(async () => {
  t = await startTestApp();
  sessions = await collectSessionEvents();
});
afterAll(async () => {
  await sessions?.stop();
  await t?.close();
});

const setPacks = (tenantId: string, packs: number) =>
  t.db.query(
    `INSERT INTO tenant_connection_packs (tenant_id, connection_packs, contract_id, contract_version) VALUES ($1, $2, $3, 1)
     ON CONFLICT (tenant_id) DO UPDATE SET connection_packs = EXCLUDED.connection_packs`,
    [tenantId, packs, randomUUID()],
  );

/** The lease's events as published on licensing.sessions.v1, once `count` of them have arrived. */
const publishedSessions = (leaseId: string, count: number): Promise<SessionEvent[]> =>
  eventually(() => {
    const mine = sessions.events.filter((e) => 'leaseId' in e.payload && e.payload.leaseId === leaseId);
    return mine.length >= count ? mine : undefined;
  }, `${count} session events of lease ${leaseId}`);

const liveCount = async (tenantId: string) =>
  Number(
    (await t.db.query('SELECT count(*) FROM leases WHERE tenant_id = $1 AND ended_at IS NULL', [tenantId]))[0].count,
  );

/** Highest level of the tenant's usage events (running sum: granted +1, ended -1). */
const usagePeak = async (tenantId: string) =>
  (
    await t.db.query(
      `SELECT coalesce(max(level), 0)::int AS peak FROM (
         SELECT sum(CASE kind WHEN 'granted' THEN 1 WHEN 'refused' THEN 0 ELSE -1 END) OVER (ORDER BY at, id) AS level
         FROM lease_usage WHERE tenant_id = $1) x`,
      [tenantId],
    )
  )[0].peak;

/** The client vanished: its last heartbeat is now older than the TTL. */
const overdue = (leaseId: string) =>
  t.db.query(`UPDATE lease_slots SET expires_at = clock_timestamp() - interval '1 second' WHERE lease_id = $1`, [
    leaseId,
  ]);

describe('POST /v1/leases', () => {
  it('grants, heartbeats and releases a lease', async () => {
    const tenantId = randomUUID();
    const token = await t.sign({ tenantId, name: '佐藤 花子' });
    const granted = await t.http('POST', '/v1/leases', token, { deviceKind: 'mobile', label: 'iPad of Sato' });
    expect(granted.status).toBe(201);
    expect(granted.body).toEqual({ leaseId: expect.any(String), expiresAt: expect.any(String), heartbeatSeconds: 15 });
    const { leaseId } = granted.body;

    // Close to expiry; the heartbeat gives it the full TTL (45 s) again.
    await t.db.query(
      `UPDATE lease_slots SET expires_at = clock_timestamp() + interval '2 seconds' WHERE lease_id = $1`,
      [leaseId],
    );
    expect((await t.http('POST', `/v1/leases/${leaseId}/heartbeat`, token)).status).toBe(204);
    const [after] = await t.db.query(
      `SELECT expires_at > clock_timestamp() + interval '30 seconds' AS extended FROM lease_slots WHERE lease_id = $1`,
      [leaseId],
    );
    expect(after.extended).toBe(true);

    expect((await t.http('DELETE', `/v1/leases/${leaseId}`, token)).status).toBe(204);
    expect((await t.http('DELETE', `/v1/leases/${leaseId}`, token)).status).toBe(204);
    const gone = await t.http('POST', `/v1/leases/${leaseId}/heartbeat`, token);
    expect(gone).toMatchObject({ status: 404, body: { code: 'LEASE_NOT_FOUND' } });

    const events = await publishedSessions(leaseId, 2);
    expect(events.map((e) => e.payload.kind)).toEqual(['connected', 'disconnected']);
    expect(events[1]?.payload).toMatchObject({ kind: 'disconnected', reason: 'closed' });
    expect(events.every((e) => e.tenantId === tenantId)).toBe(true);
  });

  it('refuses at capacity and lists who holds the connections', async () => {
    const tenantId = randomUUID();
    const sato = await t.sign({ tenantId, name: '佐藤 花子' });
    const first = await t.http('POST', '/v1/leases', sato, { deviceKind: 'web', label: 'Chrome tab' });
    expect(first.status).toBe(201);
    const refused = await t.http('POST', '/v1/leases', await t.sign({ tenantId, name: '鈴木 一郎' }), {
      deviceKind: 'mobile',
      label: 'Android',
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'CONNECTION_LIMIT_REACHED',
      message: expect.stringContaining('同時接続数の上限（1）'),
      details: {
        capacity: 1,
        holders: [
          {
            leaseId: first.body.leaseId,
            userName: '佐藤 花子',
            deviceKind: 'web',
            label: 'Chrome tab',
            since: expect.any(String),
          },
        ],
      },
    });
    const [usage] = await t.db.query(
      `SELECT count(*)::int AS n FROM lease_usage WHERE tenant_id = $1 AND kind = 'refused'`,
      [tenantId],
    );
    expect(usage.n).toBe(1);
  });

  it('refuses bad input and desktop clients, and anonymous callers', async () => {
    const token = await t.sign({ tenantId: randomUUID() });
    expect(await t.http('POST', '/v1/leases', token, { deviceKind: 'desktop', label: 'PC-01' })).toMatchObject({
      status: 400,
      body: {
        code: 'BAD_USER_INPUT',
        message: expect.stringContaining('PC ライセンス'),
        messageEn: expect.stringContaining('seat'),
      },
    });
    expect((await t.http('POST', '/v1/leases', token, { deviceKind: 'web' })).status).toBe(400);
    expect((await t.http('POST', '/v1/leases', undefined, { deviceKind: 'web', label: 'x' })).status).toBe(401);
    expect(await t.http('POST', '/v1/leases/not-a-uuid/heartbeat', token)).toMatchObject({
      status: 404,
      body: { code: 'LEASE_NOT_FOUND' },
    });
  });

  it('grants exactly the capacity when 50 clients connect at once, every time', async () => {
    for (let round = 0; round < 5; round++) {
      const tenantId = randomUUID();
      await setPacks(tenantId, 1);
      const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => t.sign({ tenantId, name: `user ${i}` })));
      const answers = await Promise.all(
        tokens.map((token, i) => t.http('POST', '/v1/leases', token, { deviceKind: 'web', label: `tab ${i}` })),
      );
      const statuses = answers.map((a) => a.status);
      expect(
        statuses.filter((s) => s === 201),
        `round ${round}`,
      ).toHaveLength(6);
      expect(
        statuses.filter((s) => s === 409),
        `round ${round}`,
      ).toHaveLength(44);
      expect(await liveCount(tenantId)).toBe(6);
      expect(await usagePeak(tenantId)).toBe(6);
      const [slots] = await t.db.query(
        'SELECT count(*)::int AS held, max(slot)::int AS highest FROM lease_slots WHERE tenant_id = $1 AND lease_id IS NOT NULL',
        [tenantId],
      );
      expect(slots).toEqual({ held: 6, highest: 6 });
    }
  });
});

describe('expiry', () => {
  it('frees the connection of a client that stopped heartbeating', async () => {
    const tenantId = randomUUID();
    const token = await t.sign({ tenantId });
    const { body } = await t.http('POST', '/v1/leases', token, { deviceKind: 'mobile', label: 'crashed phone' });
    expect(
      (await t.http('POST', '/v1/leases', await t.sign({ tenantId }), { deviceKind: 'web', label: 'tab' })).status,
    ).toBe(409);

    await overdue(body.leaseId);
    expect(await t.app.get(LeasesService).sweep()).toBeGreaterThanOrEqual(1);
    const [ended] = await t.db.query('SELECT end_reason, ended_at FROM leases WHERE id = $1', [body.leaseId]);
    expect(ended.end_reason).toBe('expired');

    expect(await t.http('POST', `/v1/leases/${body.leaseId}/heartbeat`, token)).toMatchObject({
      status: 404,
      body: { code: 'LEASE_NOT_FOUND' },
    });
    expect(
      (await t.http('POST', '/v1/leases', await t.sign({ tenantId }), { deviceKind: 'web', label: 'tab' })).status,
    ).toBe(201);
    const events = await publishedSessions(body.leaseId, 2);
    expect(events.at(-1)?.payload).toMatchObject({ kind: 'disconnected', reason: 'expired' });
  });

  it('does not let a heartbeat revive an expired lease, even before the sweeper ran', async () => {
    const tenantId = randomUUID();
    const token = await t.sign({ tenantId });
    const { body } = await t.http('POST', '/v1/leases', token, { deviceKind: 'web', label: 'tab' });
    await overdue(body.leaseId);
    expect((await t.http('POST', `/v1/leases/${body.leaseId}/heartbeat`, token)).status).toBe(404);
    // A new connection takes the overdue one's slot and ends it as expired, rather than counting it.
    expect(
      (await t.http('POST', '/v1/leases', await t.sign({ tenantId }), { deviceKind: 'web', label: 'tab 2' })).status,
    ).toBe(201);
    const [ended] = await t.db.query('SELECT end_reason FROM leases WHERE id = $1', [body.leaseId]);
    expect(ended.end_reason).toBe('expired');
    expect(await usagePeak(tenantId)).toBe(1);
    expect((await publishedSessions(body.leaseId, 2)).at(-1)?.payload).toMatchObject({ reason: 'expired' });
  });
});

describe('ending leases', () => {
  it('lets the holder or a tenant admin end a lease, and nobody else', async () => {
    const tenantId = randomUUID();
    await setPacks(tenantId, 1);
    const holder = await t.sign({ tenantId });
    const { body } = await t.http('POST', '/v1/leases', holder, { deviceKind: 'web', label: 'tab' });
    const colleague = await t.sign({ tenantId });
    expect(await t.http('DELETE', `/v1/leases/${body.leaseId}`, colleague)).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
    const otherAdmin = await t.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
    expect(await t.http('DELETE', `/v1/leases/${body.leaseId}`, otherAdmin)).toMatchObject({
      status: 404,
      body: { code: 'LEASE_NOT_FOUND' },
    });
    expect(await t.http('POST', `/v1/leases/${body.leaseId}/heartbeat`, colleague)).toMatchObject({ status: 404 });
    expect(await liveCount(tenantId)).toBe(1);

    const admin = await t.sign({ tenantId, roles: ['tenant-admin'] });
    expect((await t.http('DELETE', `/v1/leases/${body.leaseId}`, admin)).status).toBe(204);
    expect(await liveCount(tenantId)).toBe(0);
    expect((await publishedSessions(body.leaseId, 2)).at(-1)?.payload).toMatchObject({ reason: 'ended-by-admin' });
  });
});

describe('GraphQL: activeLeases, endLease, connectionUsage', () => {
  const ACTIVE = '{ activeLeases { id userName deviceKind label since expiresAt } }';
  const END = 'mutation ($id: ID!) { endLease(id: $id) }';
  const USAGE = `query ($from: String!, $to: String!) { connectionUsage(from: $from, to: $to) {
    capacity connectionPacks peak refusals timeZone perMinute { minute peak } dailyPeaks { period peak }
    monthlyPeaks { period peak } recommendation { peak packs capacity refusals message messageEn } } }`;

  it('shows an admin only their own tenant’s leases and lets them end one', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await setPacks(a, 1);
    const { body } = await t.http('POST', '/v1/leases', await t.sign({ tenantId: a, name: 'Sato' }), {
      deviceKind: 'mobile',
      label: 'iPhone',
    });
    const adminA = await t.sign({ tenantId: a, roles: ['tenant-admin'] });
    const adminB = await t.sign({ tenantId: b, roles: ['tenant-admin'] });

    const listed = await t.gql(adminA, ACTIVE);
    expect(listed.data.activeLeases).toEqual([
      expect.objectContaining({ id: body.leaseId, userName: 'Sato', deviceKind: 'MOBILE', label: 'iPhone' }),
    ]);
    expect((await t.gql(adminB, ACTIVE)).data.activeLeases).toEqual([]);

    const foreign = await t.gql(adminB, END, { id: body.leaseId });
    expect(foreign.errors[0].extensions.code).toBe('LEASE_NOT_FOUND');
    expect(await liveCount(a)).toBe(1);

    const operator = await t.sign({ tenantId: a, roles: ['operator'] });
    expect((await t.gql(operator, ACTIVE)).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql(operator, END, { id: body.leaseId })).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql(undefined, ACTIVE)).errors[0].extensions.code).toBe('UNAUTHENTICATED');

    expect((await t.gql(adminA, END, { id: body.leaseId })).data.endLease).toBe(true);
    expect(await liveCount(a)).toBe(0);
  });

  it('charts use per minute with peaks and recommends packs from demand, refusals included', async () => {
    const a = randomUUID();
    await setPacks(a, 1);
    const from = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    const tokens = await Promise.all(Array.from({ length: 8 }, () => t.sign({ tenantId: a })));
    const answers = [];
    for (const token of tokens)
      answers.push(await t.http('POST', '/v1/leases', token, { deviceKind: 'web', label: 'tab' }));
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201, 409, 409]);
    await t.http('DELETE', `/v1/leases/${answers[0]?.body.leaseId}`, tokens[0]);
    const to = new Date(from.getTime() + 3 * 60_000);

    const adminA = await t.sign({ tenantId: a, roles: ['tenant-admin'] });
    const usage = (await t.gql(adminA, USAGE, { from: from.toISOString(), to: to.toISOString() })).data.connectionUsage;
    expect(usage).toMatchObject({ capacity: 6, connectionPacks: 1, peak: 6, refusals: 2, timeZone: 'Asia/Tokyo' });
    expect(usage.perMinute).toHaveLength(3);
    expect(usage.perMinute[0].peak).toBe(0);
    expect(Math.max(...usage.perMinute.map((m: { peak: number }) => m.peak))).toBe(6);
    expect(Math.max(...usage.dailyPeaks.map((d: { peak: number }) => d.peak))).toBe(6);
    expect(usage.monthlyPeaks.length).toBeGreaterThanOrEqual(1);
    // Six held and one more wanted: a demand of 7 needs 2 packs.
    expect(usage.recommendation).toEqual({
      peak: 7,
      packs: 2,
      capacity: 11,
      refusals: 2,
      message: '過去30日のピーク 7：接続パック 2 件',
      messageEn: 'peak 7 in the last 30 days: 2 packs',
    });

    const adminB = await t.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
    const other = (await t.gql(adminB, USAGE, { from: from.toISOString(), to: to.toISOString() })).data.connectionUsage;
    expect(other).toMatchObject({ peak: 0, refusals: 0, capacity: 1, recommendation: { peak: 0, packs: 0 } });

    const operator = await t.sign({ tenantId: a });
    expect(
      (await t.gql(operator, USAGE, { from: from.toISOString(), to: to.toISOString() })).errors[0].extensions.code,
    ).toBe('FORBIDDEN');
    const tooLong = await t.gql(adminA, USAGE, { from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' });
    expect(tooLong.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('capacity from billing.contracts.v1', () => {
  it('follows the newest contract version per tenant and ignores late older ones', async () => {
    const tenantId = randomUUID();
    const contractId = randomUUID();
    const bus = new KafkaJsBus({ clientId: 'licensing-test-billing', brokers: kafkaBrokersFromEnv() });
    const contractEvent = (version: number, connectionPacks: number, status: 'active' | 'terminated' = 'active') =>
      contractChangedSchema.parse({
        id: randomUUID(),
        type: 'billing.contract-changed',
        tenantId,
        occurredAt: new Date().toISOString(),
        payload: { contractId, version, status, connectionPacks, planCode: 'cloud', at: new Date().toISOString() },
      });
    const publish = async (event: ReturnType<typeof contractEvent>) => {
      await bus.publish([{ topic: CONTRACTS_TOPIC, key: tenantId, value: JSON.stringify(event) }]);
      await eventually(
        async () =>
          (await t.db.query('SELECT 1 FROM processed_events WHERE event_id = $1', [event.id])).length
            ? true
            : undefined,
        `contract event ${event.id} to be consumed`,
      );
    };
    const capacity = async () =>
      (
        await t.gql(
          await t.sign({ tenantId, roles: ['tenant-admin'] }),
          '{ connectionUsage(from: "2026-01-01T00:00:00Z", to: "2026-01-01T00:01:00Z") { capacity connectionPacks } }',
        )
      ).data.connectionUsage;
    try {
      await publish(contractEvent(2, 2));
      expect(await capacity()).toEqual({ capacity: 11, connectionPacks: 2 });
      await publish(contractEvent(1, 5));
      expect(await capacity()).toEqual({ capacity: 11, connectionPacks: 2 });
      await publish(contractEvent(3, 19));
      expect(await capacity()).toEqual({ capacity: 96, connectionPacks: 19 });
      await publish(contractEvent(4, 19, 'terminated'));
      expect(await capacity()).toEqual({ capacity: 1, connectionPacks: 0 });
    } finally {
      await bus.close();
    }
  });
});

describe('a capacity cut while connections are live', () => {
  it('refuses until use is under the new capacity, then compacts leases into slots within it', async () => {
    const tenantId = randomUUID();
    await setPacks(tenantId, 1);
    const tokens = await Promise.all(Array.from({ length: 6 }, () => t.sign({ tenantId })));
    const leases: string[] = [];
    for (const token of tokens) {
      const r = await t.http('POST', '/v1/leases', token, { deviceKind: 'web', label: 'tab' });
      expect(r.status).toBe(201);
      leases.push(r.body.leaseId);
    }
    // The contract drops to no packs: capacity 1, six still connected (nobody is cut off).
    await t.db.query('UPDATE tenant_connection_packs SET connection_packs = 0 WHERE tenant_id = $1', [tenantId]);
    const newcomer = await t.sign({ tenantId });
    const tryConnect = () => t.http('POST', '/v1/leases', newcomer, { deviceKind: 'web', label: 'new tab' });
    expect(await tryConnect()).toMatchObject({ status: 409, body: { details: { capacity: 1 } } });

    // Five leave, the one left holds slot 6 while slot 1 is free: still at capacity, so refused.
    for (let i = 0; i < 5; i++) expect((await t.http('DELETE', `/v1/leases/${leases[i]}`, tokens[i])).status).toBe(204);
    expect((await tryConnect()).status).toBe(409);
    await t.app.get(LeasesService).sweep();
    const [moved] = await t.db.query('SELECT slot FROM lease_slots WHERE lease_id = $1', [leases[5]]);
    expect(moved.slot).toBe(1);
    expect((await tryConnect()).status).toBe(409);

    // The moved lease is still its holder's to heartbeat and close; then the newcomer gets in.
    expect((await t.http('POST', `/v1/leases/${leases[5]}/heartbeat`, tokens[5])).status).toBe(204);
    expect((await t.http('DELETE', `/v1/leases/${leases[5]}`, tokens[5])).status).toBe(204);
    expect(await liveCount(tenantId)).toBe(0);
    expect((await tryConnect()).status).toBe(201);
    expect(await usagePeak(tenantId)).toBe(6);
  });
});

describe('a disabled user', () => {
  const newUser = async (tenantId: string) => {
    const userId = randomUUID();
    await t.db.query(
      `INSERT INTO users (id, tenant_id, email, name, password_hash, roles) VALUES ($1, $2, $3, 'Sato', 'x', '{operator}')`,
      [userId, tenantId, `${userId}@example.jp`],
    );
    return userId;
  };

  it('loses their connections at once, and their access token soon after', async () => {
    const tenantId = randomUUID();
    await t.db.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [tenantId, 'disable test']);
    const userId = await newUser(tenantId);
    await setPacks(tenantId, 1);
    const token = await t.sign({ tenantId, userId });
    const { body } = await t.http('POST', '/v1/leases', token, { deviceKind: 'mobile', label: 'iPhone' });
    expect(body.leaseId).toEqual(expect.any(String));

    const admin = await t.sign({ tenantId, roles: ['tenant-admin'] });
    const disabled = await t.gql(admin, 'mutation ($userId: ID!) { disableUser(userId: $userId) { id } }', { userId });
    expect(disabled.errors).toBeUndefined();
    expect(await liveCount(tenantId)).toBe(0);
    expect((await publishedSessions(body.leaseId, 2)).at(-1)?.payload).toMatchObject({ reason: 'ended-by-admin' });

    // The revocation reaches this service through Kafka (licensing.access-revocations.v1).
    await eventually(async () => {
      const r = await t.http('POST', '/v1/leases', token, { deviceKind: 'web', label: 'tab' });
      return r.status === 401 && r.body.code === 'TOKEN_REVOKED' ? r : undefined;
    }, 'the disabled user’s token refused');
    expect(await liveCount(tenantId)).toBe(0);
  });

  it('is refused by the lease statements themselves before the revocation has arrived', async () => {
    // Disabled in the database only, as in the moment between the commit and the revocation's
    // arrival: the token is still accepted, and leases check the account on every call.
    const tenantId = randomUUID();
    await t.db.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [tenantId, 'disable window test']);
    const userId = await newUser(tenantId);
    await setPacks(tenantId, 1);
    const token = await t.sign({ tenantId, userId });
    const { body } = await t.http('POST', '/v1/leases', token, { deviceKind: 'mobile', label: 'iPhone' });
    expect(body.leaseId).toEqual(expect.any(String));

    await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [userId]);
    expect(await t.http('POST', `/v1/leases/${body.leaseId}/heartbeat`, token)).toMatchObject({
      status: 404,
      body: {
        code: 'LEASE_NOT_FOUND',
        message: expect.stringContaining('無効'),
        messageEn: expect.stringContaining('disabled'),
      },
    });
    expect(await t.http('POST', '/v1/leases', token, { deviceKind: 'web', label: 'tab' })).toMatchObject({
      status: 403,
      body: { code: 'USER_DISABLED' },
    });

    // A lease granted while the disable was committing cannot be kept alive by heartbeats.
    await t.db.query('UPDATE users SET disabled_at = NULL WHERE id = $1', [userId]);
    const late = await t.http('POST', '/v1/leases', token, { deviceKind: 'web', label: 'late tab' });
    expect(late.status).toBe(201);
    await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [userId]);
    expect((await t.http('POST', `/v1/leases/${late.body.leaseId}/heartbeat`, token)).status).toBe(404);
  });
});
