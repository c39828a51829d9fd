import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSessionEvents, eventually, startTestApp, type TestApp } from './support';

let t: TestApp;
let sessions: Awaited<ReturnType<typeof collectSessionEvents>>;

const REGISTER = `mutation ($deviceId: String!, $name: String!, $userId: ID!) {
  registerSeat(deviceId: $deviceId, name: $name, userId: $userId) { id deviceId name userId registeredAt deregisteredAt } }`;
const DEREGISTER = 'mutation ($id: ID!) { deregisterSeat(id: $id) { id deregisteredAt } }';
const SEATS = 'query ($all: Boolean) { seats(includeDeregistered: $all) { id deviceId deregisteredAt } }';
const BILLABLE =
  'query ($month: String!, $tenantId: ID) { billableSeats(month: $month, tenantId: $tenantId) { month timeZone deviceIds } }';
const BILLABLE_SEATS = `query ($month: String!, $tenantId: ID) { billableSeats(month: $month, tenantId: $tenantId) {
  deviceIds seats { id deviceId name userId userName registeredAt deregisteredAt } } }`;
const codeOf = (r: { errors?: { extensions: { code: string } }[] }) => r.errors?.[0]?.extensions.code;

async function tenantWithUser(
  userName = 'Sato',
): Promise<{ tenantId: string; userId: string; admin: string; operator: string }> {
  const tenantId = randomUUID();
  const userId = randomUUID();
  await t.db.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [tenantId, 'seat test']);
  await t.db.query(
    `INSERT INTO users (id, tenant_id, email, name, password_hash, roles) VALUES ($1, $2, $3, $4, 'x', '{operator}')`,
    [userId, tenantId, `${userId}@example.jp`, userName],
  );
  return {
    tenantId,
    userId,
    admin: await t.sign({ tenantId, roles: ['tenant-admin'] }),
    operator: await t.sign({ tenantId, userId }),
  };
}

beforeAll(async () => {
  t = await startTestApp();
  sessions = await collectSessionEvents();
});
afterAll(async () => {
  await sessions?.stop();
  await t?.close();
});

describe('desktop seats', () => {
  it('registers, lists and deregisters a PC, keeps the history and publishes seat changes', async () => {
    const a = await tenantWithUser();
    const seat = (await t.gql(a.admin, REGISTER, { deviceId: 'PC-TOKYO-01', name: '受付PC', userId: a.userId })).data
      .registerSeat;
    expect(seat).toMatchObject({ deviceId: 'PC-TOKYO-01', name: '受付PC', userId: a.userId, deregisteredAt: null });
    expect(codeOf(await t.gql(a.admin, REGISTER, { deviceId: 'PC-TOKYO-01', name: 'again', userId: a.userId }))).toBe(
      'SEAT_ALREADY_REGISTERED',
    );

    // The desktop client's check before connecting: a seat means no concurrent connection is taken.
    expect(await t.http('GET', '/v1/seats/by-device/PC-TOKYO-01', a.operator)).toMatchObject({
      status: 200,
      body: { seatId: seat.id },
    });
    expect((await t.gql(a.admin, SEATS)).data.seats.map((s: { id: string }) => s.id)).toEqual([seat.id]);

    expect((await t.gql(a.admin, DEREGISTER, { id: seat.id })).data.deregisterSeat.deregisteredAt).toEqual(
      expect.any(String),
    );
    expect(codeOf(await t.gql(a.admin, DEREGISTER, { id: seat.id }))).toBe('NOT_FOUND');
    expect(await t.http('GET', '/v1/seats/by-device/PC-TOKYO-01', a.operator)).toMatchObject({
      status: 404,
      body: { code: 'SEAT_NOT_REGISTERED' },
    });
    expect((await t.gql(a.admin, SEATS)).data.seats).toEqual([]);
    expect((await t.gql(a.admin, SEATS, { all: true })).data.seats).toHaveLength(1);

    // Registered again: a new period of the same PC.
    const again = (await t.gql(a.admin, REGISTER, { deviceId: 'PC-TOKYO-01', name: '受付PC', userId: a.userId })).data
      .registerSeat;
    expect(again.id).not.toBe(seat.id);

    const kinds = await eventually(() => {
      const mine = sessions.events.filter((e) => e.tenantId === a.tenantId).map((e) => e.payload.kind);
      return mine.length >= 3 ? mine : undefined;
    }, 'seat events');
    expect(kinds).toEqual(['seat-registered', 'seat-deregistered', 'seat-registered']);
  });

  it('bills every PC registered at any time in the tenant’s month, once', async () => {
    const a = await tenantWithUser();
    const insert = (deviceId: string, from: string, to: string | null) =>
      t.db.query(
        'INSERT INTO seats (tenant_id, device_id, name, user_id, registered_at, deregistered_at) VALUES ($1, $2, $2, $3, $4, $5)',
        [a.tenantId, deviceId, a.userId, from, to],
      );
    await insert('left-on-1-nov-JST', '2026-10-01T00:00:00Z', '2026-10-31T15:00:01Z');
    await insert('gone-before', '2026-10-01T00:00:00Z', '2026-10-31T14:59:59Z');
    await insert('twice', '2026-11-02T00:00:00Z', '2026-11-03T00:00:00Z');
    await insert('twice', '2026-11-10T00:00:00Z', null);
    await insert('from-december-JST', '2026-11-30T15:00:00Z', null);
    const billed = (await t.gql(a.admin, BILLABLE, { month: '2026-11' })).data.billableSeats;
    expect(billed).toEqual({ month: '2026-11', timeZone: 'Asia/Tokyo', deviceIds: ['left-on-1-nov-JST', 'twice'] });
    expect(codeOf(await t.gql(a.admin, BILLABLE, { month: 'November' }))).toBe('BAD_USER_INPUT');

    const backOffice = await t.sign({ tenantId: randomUUID(), roles: ['back-office'] });
    expect(
      (await t.gql(backOffice, BILLABLE, { month: '2026-11', tenantId: a.tenantId })).data.billableSeats.deviceIds,
    ).toHaveLength(2);
  });

  it('keeps tenants apart on every seat operation', async () => {
    const a = await tenantWithUser();
    const b = await tenantWithUser();
    const seat = (await t.gql(a.admin, REGISTER, { deviceId: 'PC-A', name: 'A', userId: a.userId })).data.registerSeat;

    expect((await t.gql(b.admin, SEATS, { all: true })).data.seats).toEqual([]);
    expect(codeOf(await t.gql(b.admin, DEREGISTER, { id: seat.id }))).toBe('NOT_FOUND');
    expect(await t.http('GET', '/v1/seats/by-device/PC-A', b.operator)).toMatchObject({ status: 404 });
    // B cannot give a seat to A's user, nor read A's billing.
    expect(codeOf(await t.gql(b.admin, REGISTER, { deviceId: 'PC-B', name: 'B', userId: a.userId }))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(b.admin, BILLABLE, { month: '2026-11', tenantId: a.tenantId }))).toBe('FORBIDDEN');
    expect((await t.gql(b.admin, BILLABLE, { month: '2026-11' })).data.billableSeats.deviceIds).toEqual([]);
    // Operators do not manage seats.
    expect(codeOf(await t.gql(a.operator, REGISTER, { deviceId: 'PC-X', name: 'X', userId: a.userId }))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await t.gql(a.operator, SEATS))).toBe('FORBIDDEN');
    expect((await t.gql(a.admin, SEATS)).data.seats.map((s: { id: string }) => s.id)).toEqual([seat.id]);
  });

  it('lists the month’s billed PCs with their user and dates, a PC deregistered mid-month included', async () => {
    const a = await tenantWithUser('佐藤 花子');
    const insert = (deviceId: string, name: string, from: string, to: string | null) =>
      t.db.query(
        `INSERT INTO seats (tenant_id, device_id, name, user_id, registered_at, deregistered_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [a.tenantId, deviceId, name, a.userId, from, to],
      );
    await insert('PC-GONE', '退役PC', '2026-09-01T00:00:00Z', '2026-10-31T14:00:00Z');
    const [[midMonth]] = await Promise.all([
      insert('PC-MID', '受付PC', '2026-10-01T00:00:00Z', '2026-11-14T03:00:00Z'),
      insert('PC-ON', '事務所PC', '2026-11-02T00:00:00Z', null),
      insert('PC-DEC', '12月のPC', '2026-11-30T15:00:00Z', null),
    ]);

    const billed = (await t.gql(a.admin, BILLABLE_SEATS, { month: '2026-11' })).data.billableSeats;
    expect(billed.deviceIds).toEqual(['PC-MID', 'PC-ON']);
    expect(billed.seats).toEqual([
      {
        id: midMonth.id,
        deviceId: 'PC-MID',
        name: '受付PC',
        userId: a.userId,
        userName: '佐藤 花子',
        registeredAt: '2026-10-01T00:00:00.000Z',
        deregisteredAt: '2026-11-14T03:00:00.000Z',
      },
      {
        id: expect.any(String),
        deviceId: 'PC-ON',
        name: '事務所PC',
        userId: a.userId,
        userName: '佐藤 花子',
        registeredAt: '2026-11-02T00:00:00.000Z',
        deregisteredAt: null,
      },
    ]);

    // A PC deregistered and registered again in the month: both periods listed, billed once.
    const again = (await t.gql(a.admin, REGISTER, { deviceId: 'PC-NOW', name: '今月PC', userId: a.userId })).data
      .registerSeat;
    await t.gql(a.admin, DEREGISTER, { id: again.id });
    await t.gql(a.admin, REGISTER, { deviceId: 'PC-NOW', name: '今月PC', userId: a.userId });
    const [{ month }] = await t.db.query(`SELECT to_char(now() AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM') AS month`);
    const now = (await t.gql(a.admin, BILLABLE_SEATS, { month })).data.billableSeats;
    expect(now.deviceIds).toContain('PC-NOW');
    const periods = now.seats.filter((s: { deviceId: string }) => s.deviceId === 'PC-NOW');
    expect(periods).toHaveLength(2);
    expect(periods[0]).toMatchObject({ id: again.id, userName: '佐藤 花子', deregisteredAt: expect.any(String) });
    expect(periods[1]).toMatchObject({ userName: '佐藤 花子', deregisteredAt: null });
  });

  it('never shows another tenant’s PCs, and refuses operators as before', async () => {
    const a = await tenantWithUser('A の利用者');
    const b = await tenantWithUser('B の利用者');
    await t.gql(a.admin, REGISTER, { deviceId: 'PC-SHARED-ID', name: 'A の PC', userId: a.userId });
    await t.gql(b.admin, REGISTER, { deviceId: 'PC-SHARED-ID', name: 'B の PC', userId: b.userId });
    await t.gql(b.admin, REGISTER, { deviceId: 'PC-B-ONLY', name: 'B だけの PC', userId: b.userId });
    const [{ month }] = await t.db.query(`SELECT to_char(now() AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM') AS month`);
    const names = (r: { data: { billableSeats: { seats: { name: string; userName: string }[] } } }) =>
      r.data.billableSeats.seats.map((s) => `${s.name}/${s.userName}`);

    expect(names(await t.gql(a.admin, BILLABLE_SEATS, { month }))).toEqual(['A の PC/A の利用者']);
    expect(names(await t.gql(a.admin, BILLABLE_SEATS, { month, tenantId: a.tenantId }))).toEqual([
      'A の PC/A の利用者',
    ]);
    const backOffice = await t.sign({ tenantId: randomUUID(), roles: ['back-office'] });
    expect(names(await t.gql(backOffice, BILLABLE_SEATS, { month, tenantId: b.tenantId }))).toEqual([
      'B の PC/B の利用者',
      'B だけの PC/B の利用者',
    ]);
    // A tenant admin naming another tenant is refused, with nothing of it in the answer.
    const other = await t.gql(a.admin, BILLABLE_SEATS, { month, tenantId: b.tenantId });
    expect(codeOf(other)).toBe('FORBIDDEN');
    expect(JSON.stringify(other)).not.toContain('B の');
    // Operators, and sales (not a seat role), are refused as before.
    expect(codeOf(await t.gql(a.operator, BILLABLE_SEATS, { month }))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(a.operator, BILLABLE_SEATS, { month, tenantId: a.tenantId }))).toBe('FORBIDDEN');
    const sales = await t.sign({ tenantId: randomUUID(), roles: ['sales'] });
    expect(codeOf(await t.gql(sales, BILLABLE_SEATS, { month, tenantId: a.tenantId }))).toBe('FORBIDDEN');
    // The seats list carries the user's name too.
    expect((await t.gql(a.admin, 'query { seats { name userName } }')).data.seats).toEqual([
      { name: 'A の PC', userName: 'A の利用者' },
    ]);
  });
});
