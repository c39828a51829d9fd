import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { liveCloseCodes } from '@thankstar/contracts';
import { kafkaBrokersFromEnv } from '@thankstar/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { TestApp } from '../../services/licensing/test/support';
import { type RunningGateway, startGateway } from '../src/server';
import { LiveClient } from './support/live-client';
import { popupsQuery } from './support/popups';

// The real licensing service (its own test harness: clean database, real Kafka, its own keys)
// is the lease peer and the JWKS the gateway verifies against.
let licensing: TestApp;
let eventually: typeof import('../../services/licensing/test/support').eventually;
let gateway: RunningGateway;
const clients: LiveClient[] = [];

beforeAll(async () => {
  // Heartbeats every second, so an ended lease shows within the test.
  process.env.LEASE_HEARTBEAT_SECONDS = '1';
  const support = await import('../../services/licensing/test/support');
  eventually = support.eventually;
  licensing = await support.startTestApp();
  gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    instanceId: `lease-${randomUUID().slice(0, 8)}`,
    subgraphUrls: {},
    jwksUrl: `${licensing.url}/.well-known/jwks.json`,
    licensingHttpUrl: licensing.url,
    kafkaBrokers: kafkaBrokersFromEnv(),
    introspection: false,
    limits: { keepAliveMs: 300 },
  });
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.dispose()));
  await gateway?.close();
  await licensing?.close();
});

const connect = async (tenantId: string, params: Record<string, unknown>, name = 'Test User', userId?: string) => {
  const token = await licensing.sign({ tenantId, name, ...(userId ? { userId } : {}) });
  const client = new LiveClient(gateway.url, { authorization: `Bearer ${token}`, ...params });
  clients.push(client);
  return client;
};

/**
 * Pairs a PC for a user of the tenant as the product does: the user's PC asks for a code, a tenant
 * admin approves it, the PC collects its device credential. Returns the credential and the seat.
 */
const pairPc = async (tenantId: string, userId: string, name: string) => {
  const operator = await licensing.sign({ tenantId, userId, name });
  const admin = await licensing.sign({ tenantId, roles: ['tenant-admin'] } as Parameters<TestApp['sign']>[0]);
  const req = await licensing.gql(
    operator,
    'mutation { requestDesktopPairing(pcName: "受付のPC") { id code secret } }',
  );
  expect(req.errors).toBeUndefined();
  const { id, code, secret } = req.data.requestDesktopPairing;
  const approved = await licensing.gql(
    admin,
    'mutation ($code: String!) { approveDesktopPairing(code: $code) { seat { id } } }',
    { code },
  );
  expect(approved.errors).toBeUndefined();
  const claimed = await licensing.gql(
    operator,
    'mutation ($id: ID!, $secret: String!) { claimDesktopPairing(id: $id, secret: $secret) { deviceCredential } }',
    { id, secret },
  );
  return {
    credential: claimed.data.claimDesktopPairing.deviceCredential as string,
    seatId: approved.data.approveDesktopPairing.seat.id as string,
    admin,
  };
};

const addUser = async (tenantId: string, userId: string, name: string) => {
  await licensing.db.query(
    `INSERT INTO users (id, tenant_id, email, name, password_hash, roles) VALUES ($1, $2, $3, $4, 'x', ARRAY['operator'])`,
    [userId, tenantId, `pc-${userId}@example.jp`, name],
  );
};

/** Live concurrent-connection leases (web and mobile); desktop leases use the PC's seat. */
const liveLeases = async (tenantId: string): Promise<{ id: string; label: string }[]> =>
  licensing.db.query(
    `SELECT id, label FROM leases WHERE tenant_id = $1 AND ended_at IS NULL AND device_kind <> 'desktop'`,
    [tenantId],
  );

const liveDesktopLeases = async (tenantId: string): Promise<{ id: string; user_id: string }[]> =>
  licensing.db.query(
    `SELECT id, user_id FROM leases WHERE tenant_id = $1 AND ended_at IS NULL AND device_kind = 'desktop'`,
    [tenantId],
  );

describe('concurrent-connection leases on graphql-ws', () => {
  it('takes a lease per web/mobile socket, refuses past the capacity with the holders, and frees it on close', async () => {
    const tenantId = randomUUID(); // no packs: the one included connection
    const tab = await connect(tenantId, { deviceKind: 'web', label: 'Chrome at the front desk' }, '佐藤 花子');
    await tab.connected;
    expect((await liveLeases(tenantId)).map((l) => l.label)).toEqual(['Chrome at the front desk']);

    const phone = await connect(tenantId, { deviceKind: 'mobile', label: 'iPhone' });
    const refused = await phone.closed;
    expect(refused.code).toBe(liveCloseCodes.CONNECTION_LIMIT_REACHED);
    expect(JSON.parse(refused.reason)).toEqual({
      code: 'CONNECTION_LIMIT_REACHED',
      capacity: 1,
      holders: ['Chrome at the front desk / 佐藤 花子'],
    });

    // A registered desktop uses its seat licence, not a concurrent connection.
    const userId = randomUUID();
    await licensing.db.query(`INSERT INTO tenants (id, name) VALUES ($1, 'Seat tenant')`, [tenantId]);
    await licensing.db.query(
      `INSERT INTO users (id, tenant_id, email, name, password_hash, roles) VALUES ($1, $2, $3, 'PC user', 'x', ARRAY['operator'])`,
      [userId, tenantId, `pc-${userId}@example.jp`],
    );
    const { credential } = await pairPc(tenantId, userId, 'PC user');
    const desktop = await connect(
      tenantId,
      { deviceKind: 'desktop', label: 'PC-1', deviceCredential: credential },
      'PC user',
      userId,
    );
    await desktop.connected;
    expect(await liveLeases(tenantId)).toHaveLength(1);
    // It holds a desktop lease all the same: that is its presence for billing.
    expect(await liveDesktopLeases(tenantId)).toEqual([{ id: expect.any(String), user_id: userId }]);

    // The seat is bound to its user: the credential copied to another user of the tenant is refused.
    const borrowed = await connect(tenantId, { deviceKind: 'desktop', label: 'PC-1', deviceCredential: credential });
    const notYours = await borrowed.closed;
    expect(notYours.code).toBe(liveCloseCodes.SEAT_REVOKED);
    expect(notYours.reason).toBe('SEAT_REVOKED: このPCの登録は取り消されたか、無効です。');

    // Saying "desktop" is not enough: a PC without a valid credential is refused, and takes nothing.
    const unknown = randomBytes(32).toString('base64url');
    const unregistered = await connect(tenantId, { deviceKind: 'desktop', label: 'PC-2', deviceCredential: unknown });
    const noSeat = await unregistered.closed;
    expect(noSeat.code).toBe(liveCloseCodes.SEAT_REVOKED);
    expect(noSeat.reason).toMatch(/^SEAT_REVOKED/);
    // A typed device id admits nothing either.
    const typed = await connect(
      tenantId,
      { deviceKind: 'desktop', label: 'PC-2', deviceId: 'PC-1' },
      'PC user',
      userId,
    );
    expect((await typed.closed).code).toBe(liveCloseCodes.BAD_CONNECTION_PARAMS);
    expect(await liveLeases(tenantId)).toHaveLength(1);

    await tab.dispose();
    await eventually(async () => ((await liveLeases(tenantId)).length === 0 ? true : undefined), 'lease released');
    const again = await connect(tenantId, { deviceKind: 'mobile', label: 'iPhone' });
    await again.connected;
    expect((await liveLeases(tenantId)).map((l) => l.label)).toEqual(['iPhone']);
  });

  it('admits one desktop connection per PC: a newer one replaces the older, which is closed as ended', async () => {
    const tenantId = randomUUID();
    const userId = randomUUID();
    await licensing.db.query(`INSERT INTO tenants (id, name) VALUES ($1, 'Desktop tenant')`, [tenantId]);
    await licensing.db.query(
      `INSERT INTO users (id, tenant_id, email, name, password_hash, roles) VALUES ($1, $2, $3, 'PC user', 'x', ARRAY['operator'])`,
      [userId, tenantId, `pc-${userId}@example.jp`],
    );
    const credential = randomBytes(32).toString('base64url');
    await licensing.db.query(
      `INSERT INTO seats (tenant_id, device_id, name, user_id, credential_hash) VALUES ($1, 'PC-9', 'PC', $2, $3)`,
      [tenantId, userId, createHash('sha256').update(credential).digest('hex')],
    );
    const older = await connect(tenantId, { deviceKind: 'desktop', deviceCredential: credential }, 'PC user', userId);
    await older.connected;
    const [first] = await liveDesktopLeases(tenantId);
    const newer = await connect(tenantId, { deviceKind: 'desktop', deviceCredential: credential }, 'PC user', userId);
    await newer.connected;
    // The older socket's next heartbeat (every second here) finds its lease ended.
    const closed = await older.closed;
    expect(closed.code).toBe(liveCloseCodes.LEASE_ENDED);
    const live = await liveDesktopLeases(tenantId);
    expect(live).toHaveLength(1);
    expect(live[0]?.id).not.toBe(first?.id);
  });

  it('closes the socket of a revoked PC with SEAT_REVOKED within 2 s, and refuses its credential after', async () => {
    // The session event (or, at worst, the next heartbeat: every second in this file) closes it.
    const tenantId = randomUUID();
    const userId = randomUUID();
    await licensing.db.query(`INSERT INTO tenants (id, name) VALUES ($1, 'Revoke tenant')`, [tenantId]);
    await addUser(tenantId, userId, 'PC user');
    const { credential, seatId, admin } = await pairPc(tenantId, userId, 'PC user');
    const pc = await connect(tenantId, { deviceKind: 'desktop', deviceCredential: credential }, 'PC user', userId);
    pc.subscribe(popupsQuery, 'popups');
    await pc.connected;
    const revokedAt = Date.now();
    const revoked = await licensing.gql(admin, 'mutation ($id: ID!) { deregisterSeat(id: $id) { id } }', {
      id: seatId,
    });
    expect(revoked.errors).toBeUndefined();
    const closed = await pc.closed;
    expect(Date.now() - revokedAt).toBeLessThan(2_000);
    expect(closed).toEqual({
      code: liveCloseCodes.SEAT_REVOKED,
      reason: 'SEAT_REVOKED: このPCの登録は取り消されたか、無効です。',
    });
    const again = await connect(tenantId, { deviceKind: 'desktop', deviceCredential: credential }, 'PC user', userId);
    expect((await again.closed).code).toBe(liveCloseCodes.SEAT_REVOKED);
  });

  it('lets a user’s newer tab take over their own earlier tab’s connection, never another user’s', async () => {
    const tenantId = randomUUID(); // capacity 1
    const userId = randomUUID();
    const older = await connect(tenantId, { deviceKind: 'web', label: 'Chrome tab' }, '佐藤 花子', userId);
    await older.connected;
    const [first] = await liveLeases(tenantId);
    const newer = await connect(tenantId, { deviceKind: 'web', label: 'Chrome tab' }, '佐藤 花子', userId);
    await newer.connected;
    expect(await older.closed).toEqual({
      code: liveCloseCodes.LEASE_ENDED,
      reason: 'LEASE_TAKEN_OVER: 新しいタブ（接続）に引き継いだため、この接続は終了しました。',
    });
    const live = await liveLeases(tenantId);
    expect(live).toHaveLength(1);
    expect(live[0]?.id).not.toBe(first?.id);
    // Another user with the same kind and label is refused with the holder's name, as before.
    const colleague = await connect(tenantId, { deviceKind: 'web', label: 'Chrome tab' }, '鈴木 一郎');
    const refused = await colleague.closed;
    expect(refused.code).toBe(liveCloseCodes.CONNECTION_LIMIT_REACHED);
    expect(JSON.parse(refused.reason).holders).toEqual(['Chrome tab / 佐藤 花子']);
    // The same user's other kind of client (a phone) does not take the tab over either.
    const phone = await connect(tenantId, { deviceKind: 'mobile', label: 'iPhone' }, '佐藤 花子', userId);
    expect((await phone.closed).code).toBe(liveCloseCodes.CONNECTION_LIMIT_REACHED);
    expect(await liveLeases(tenantId)).toHaveLength(1);
  });

  it('refuses a disabled user with its own close code, not "retry shortly"', async () => {
    const tenantId = randomUUID();
    const userId = randomUUID();
    await licensing.db.query(`INSERT INTO tenants (id, name) VALUES ($1, 'Disabled-user tenant')`, [tenantId]);
    await licensing.db.query(
      `INSERT INTO users (id, tenant_id, email, name, password_hash, roles, disabled_at)
       VALUES ($1, $2, $3, 'Left the company', 'x', ARRAY['operator'], now())`,
      [userId, tenantId, `gone-${userId}@example.jp`],
    );
    const token = await licensing.sign({ tenantId, userId });
    const client = new LiveClient(gateway.url, { authorization: `Bearer ${token}`, deviceKind: 'web', label: 'Tab' });
    clients.push(client);
    const closed = await client.closed;
    expect(closed.code).toBe(liveCloseCodes.USER_DISABLED);
    expect(closed.reason).toMatch(/^USER_DISABLED/);
    expect(await liveLeases(tenantId)).toHaveLength(0);
  });

  it('closes the sockets of a user as soon as they are disabled, and refuses their token over HTTP', async () => {
    // A gateway that takes no leases: only the revocation (licensing → Kafka → gateway) can end this socket.
    const plain = await startGateway({
      port: 0,
      host: '127.0.0.1',
      instanceId: `revoke-${randomUUID().slice(0, 8)}`,
      subgraphUrls: {},
      jwksUrl: `${licensing.url}/.well-known/jwks.json`,
      kafkaBrokers: kafkaBrokersFromEnv(),
      introspection: false,
    });
    try {
      const tenantId = randomUUID();
      const [userId, colleagueId, adminId] = [randomUUID(), randomUUID(), randomUUID()];
      await licensing.db.query(`INSERT INTO tenants (id, name) VALUES ($1, 'Revocation tenant')`, [tenantId]);
      for (const [id, roles] of [
        [userId, ['operator']],
        [colleagueId, ['operator']],
        [adminId, ['tenant-admin']],
      ] as const) {
        await licensing.db.query(
          `INSERT INTO users (id, tenant_id, email, name, password_hash, roles) VALUES ($1, $2, $3, 'User', 'x', $4)`,
          [id, tenantId, `${id}@example.jp`, roles],
        );
      }
      const token = await licensing.sign({ tenantId, userId });
      const leaving = new LiveClient(plain.url, { authorization: `Bearer ${token}`, deviceKind: 'web', label: 'Tab' });
      const staying = new LiveClient(plain.url, {
        authorization: `Bearer ${await licensing.sign({ tenantId, userId: colleagueId })}`,
        deviceKind: 'web',
        label: 'Tab',
      });
      clients.push(leaving, staying);
      await Promise.all([leaving.connected, staying.connected]);

      const adminToken = await licensing.sign({ tenantId, userId: adminId, roles: ['tenant-admin'] });
      const disabled = await licensing.gql(
        adminToken,
        'mutation ($id: ID!) { disableUser(userId: $id) { disabled } }',
        {
          id: userId,
        },
      );
      expect(disabled.data.disableUser.disabled).toBe(true);

      const closed = await leaving.closed;
      expect(closed.code).toBe(liveCloseCodes.USER_DISABLED);
      expect(closed.reason).toMatch(/^USER_DISABLED/);
      const http = await fetch(plain.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(http.status).toBe(401);
      expect(((await http.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe(
        'TOKEN_REVOKED',
      );
      // The same token cannot open a new socket either; the colleague's socket stays open.
      const again = new LiveClient(plain.url, { authorization: `Bearer ${token}`, deviceKind: 'web', label: 'Tab' });
      clients.push(again);
      expect((await again.closed).code).toBe(liveCloseCodes.USER_DISABLED);
      expect(plain.liveConnections()).toBe(1);
    } finally {
      await plain.close();
    }
  });

  it('closes a socket whose lease an admin ended, with a reason the client can show', async () => {
    const tenantId = randomUUID();
    const client = await connect(tenantId, { deviceKind: 'web', label: 'Tab' });
    client.subscribe(popupsQuery, 'popups');
    await client.connected;
    const [lease] = await liveLeases(tenantId);
    const admin = await licensing.sign({ tenantId, roles: ['tenant-admin'] } as Parameters<TestApp['sign']>[0]);
    const ended = await licensing.gql(admin, 'mutation ($id: ID!) { endLease(id: $id) }', { id: lease?.id });
    expect(ended.errors).toBeUndefined();
    const closed = await client.closed;
    expect(closed.code).toBe(liveCloseCodes.LEASE_ENDED);
    expect(closed.reason).toMatch(/^LEASE_ENDED/);
  });

  it('drops a socket whose client vanished without closing, and frees its connection', async () => {
    const tenantId = randomUUID();
    const token = await licensing.sign({ tenantId });
    // A client that crashed: it said hello, then never answers a ping again.
    const crashed = new WebSocket(gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { autoPong: false });
    await new Promise((resolve) => crashed.once('open', resolve));
    crashed.send(
      JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}`, label: 'Crashed tab' } }),
    );
    await new Promise((resolve) => crashed.once('message', resolve)); // connection_ack
    expect((await liveLeases(tenantId)).map((l) => l.label)).toEqual(['Crashed tab']);
    const dropped = new Promise<number>((resolve) => crashed.once('close', (code) => resolve(code)));
    expect(await dropped).toBe(1006); // terminated, no close frame
    await eventually(async () => ((await liveLeases(tenantId)).length === 0 ? true : undefined), 'lease freed');
  });

  it('refuses an unknown device kind before taking anything', async () => {
    const tenantId = randomUUID();
    const client = await connect(tenantId, { deviceKind: 'fridge' });
    expect((await client.closed).code).toBe(liveCloseCodes.BAD_CONNECTION_PARAMS);
    expect(await liveLeases(tenantId)).toEqual([]);
  });
});
