import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { SessionEvent } from '@thankstar/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DesktopLeasesService } from '../src/leases/desktop-leases.service';
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

/** A tenant with one operator (Sato) and a PC paired to them (its device credential); packs 0, so capacity 1. */
async function tenantWithPc(deviceId = 'PC-01') {
  const credential = randomBytes(32).toString('base64url');
  const tenantId = randomUUID();
  const userId = randomUUID();
  const otherUserId = randomUUID();
  await t.db.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [tenantId, 'desktop test']);
  for (const [id, name] of [
    [userId, 'Sato'],
    [otherUserId, 'Suzuki'],
  ]) {
    await t.db.query(
      `INSERT INTO users (id, tenant_id, email, name, password_hash, roles) VALUES ($1, $2, $3, $4, 'x', '{operator}')`,
      [id, tenantId, `${id}@example.jp`, name],
    );
  }
  const [seat] = await t.db.query(
    `INSERT INTO seats (tenant_id, device_id, name, user_id, credential_hash) VALUES ($1, $2, '受付PC', $3, $4) RETURNING id`,
    [tenantId, deviceId, userId, createHash('sha256').update(credential).digest('hex')],
  );
  return {
    credential,
    tenantId,
    userId,
    seatId: seat.id as string,
    operator: await t.sign({ tenantId, userId, name: 'Sato' }),
    other: await t.sign({ tenantId, userId: otherUserId, name: 'Suzuki' }),
  };
}

const eventsOf = (leaseId: string, count: number): Promise<SessionEvent[]> =>
  eventually(() => {
    const mine = sessions.events.filter((e) => 'leaseId' in e.payload && e.payload.leaseId === leaseId);
    return mine.length >= count ? mine : undefined;
  }, `${count} session events of desktop lease ${leaseId}`);

const live = async (leaseId: string) =>
  (await t.db.query('SELECT ended_at IS NULL AS live, end_reason FROM leases WHERE id = $1', [leaseId]))[0] as {
    live: boolean;
    end_reason: string | null;
  };

describe('POST /v1/desktop-leases', () => {
  it('needs the device credential of a seat paired to the caller: unknown, copied and revoked ones are refused', async () => {
    const a = await tenantWithPc();
    const invalid = { status: 403, body: { code: 'DEVICE_CREDENTIAL_INVALID' } };
    const unknown = randomBytes(32).toString('base64url');
    expect(await t.http('POST', '/v1/desktop-leases', a.operator, { deviceCredential: unknown })).toMatchObject(
      invalid,
    );
    // The credential copied to another user's browser admits nothing.
    expect(await t.http('POST', '/v1/desktop-leases', a.other, { deviceCredential: a.credential })).toMatchObject(
      invalid,
    );
    // A typed device id is not a credential.
    expect(await t.http('POST', '/v1/desktop-leases', a.operator, { deviceId: 'PC-01' })).toMatchObject({
      status: 400,
      body: { code: 'BAD_USER_INPUT' },
    });
    expect(await t.http('POST', '/v1/desktop-leases', a.operator, {})).toMatchObject({
      status: 400,
      body: { code: 'BAD_USER_INPUT' },
    });
    // Another tenant's token with this tenant's credential (even the same user id) is refused.
    const b = await tenantWithPc('PC-01');
    const cross = await t.sign({ tenantId: b.tenantId, userId: a.userId });
    expect(await t.http('POST', '/v1/desktop-leases', cross, { deviceCredential: a.credential })).toMatchObject(
      invalid,
    );
    expect((await t.http('POST', '/v1/desktop-leases', a.operator, { deviceCredential: a.credential })).status).toBe(
      201,
    );
    // A deregistered (revoked) seat no longer admits its PC.
    await t.db.query('UPDATE seats SET deregistered_at = clock_timestamp() WHERE id = $1', [a.seatId]);
    expect(await t.http('POST', '/v1/desktop-leases', a.operator, { deviceCredential: a.credential })).toMatchObject(
      invalid,
    );
  });

  it('does not use a concurrent connection, and publishes connected/disconnected as desktop presence', async () => {
    const a = await tenantWithPc();
    const desktop = await t.http('POST', '/v1/desktop-leases', a.operator, {
      deviceCredential: a.credential,
      label: '受付PC',
    });
    expect(desktop.status).toBe(201);
    expect(desktop.body).toMatchObject({ leaseId: expect.any(String), heartbeatSeconds: 15, replaced: [] });
    // Capacity is 1 (no packs): the web client still gets it, so the desktop took none.
    const web = await t.http('POST', '/v1/leases', a.operator, { deviceKind: 'web', label: 'Chrome' });
    expect(web.status).toBe(201);
    const usage = await t.db.query(`SELECT count(*)::int AS n FROM lease_usage WHERE lease_id = $1`, [
      desktop.body.leaseId,
    ]);
    expect(usage[0].n).toBe(0);

    expect((await t.http('POST', `/v1/desktop-leases/${desktop.body.leaseId}/heartbeat`, a.operator)).status).toBe(204);
    // Only the holder heartbeats or closes it.
    expect((await t.http('POST', `/v1/desktop-leases/${desktop.body.leaseId}/heartbeat`, a.other)).status).toBe(404);
    expect((await t.http('DELETE', `/v1/desktop-leases/${desktop.body.leaseId}`, a.operator)).status).toBe(204);
    expect((await t.http('DELETE', `/v1/desktop-leases/${desktop.body.leaseId}`, a.operator)).status).toBe(204);
    expect(await t.http('POST', `/v1/desktop-leases/${desktop.body.leaseId}/heartbeat`, a.operator)).toMatchObject({
      status: 404,
      body: { code: 'LEASE_NOT_FOUND' },
    });

    const events = await eventsOf(desktop.body.leaseId, 2);
    expect(events.map((e) => ({ tenantId: e.tenantId, kind: e.payload.kind }))).toEqual([
      { tenantId: a.tenantId, kind: 'connected' },
      { tenantId: a.tenantId, kind: 'disconnected' },
    ]);
    expect(events[0]?.payload).toMatchObject({ userId: a.userId, deviceKind: 'desktop' });
    expect(events[1]?.payload).toMatchObject({ userId: a.userId, reason: 'closed', deviceKind: 'desktop' });
  });

  it('admits one desktop connection per seat: the newer replaces the older, whose heartbeat then fails', async () => {
    const a = await tenantWithPc();
    const first = await t.http('POST', '/v1/desktop-leases', a.operator, { deviceCredential: a.credential });
    const second = await t.http('POST', '/v1/desktop-leases', a.operator, { deviceCredential: a.credential });
    expect(second.status).toBe(201);
    expect(second.body.replaced).toEqual([first.body.leaseId]);
    expect(await live(first.body.leaseId)).toEqual({ live: false, end_reason: 'closed' });
    expect(await live(second.body.leaseId)).toEqual({ live: true, end_reason: null });
    // The old socket's next heartbeat is refused: the gateway closes it with LEASE_ENDED.
    expect((await t.http('POST', `/v1/desktop-leases/${first.body.leaseId}/heartbeat`, a.operator)).status).toBe(404);
    expect((await t.http('POST', `/v1/desktop-leases/${second.body.leaseId}/heartbeat`, a.operator)).status).toBe(204);
    const live_ = await t.db.query('SELECT count(*)::int AS n FROM leases WHERE seat_id = $1 AND ended_at IS NULL', [
      a.seatId,
    ]);
    expect(live_[0].n).toBe(1);
    const ended = await eventsOf(first.body.leaseId, 2);
    expect(ended[1]?.payload).toMatchObject({ kind: 'disconnected', reason: 'closed' });
  });

  it('expires a desktop that stopped heartbeating, as of its expiry', async () => {
    const a = await tenantWithPc();
    const lease = await t.http('POST', '/v1/desktop-leases', a.operator, { deviceCredential: a.credential });
    await t.db.query(`UPDATE leases SET expires_at = clock_timestamp() - interval '1 second' WHERE id = $1`, [
      lease.body.leaseId,
    ]);
    expect((await t.http('POST', `/v1/desktop-leases/${lease.body.leaseId}/heartbeat`, a.operator)).status).toBe(404);
    // The app's sweeper may get there first; either way the lease ends as expired.
    await t.app.get(DesktopLeasesService).expireOverdue();
    expect(await live(lease.body.leaseId)).toEqual({ live: false, end_reason: 'expired' });
    const [row] = await t.db.query('SELECT ended_at = expires_at AS at_expiry FROM leases WHERE id = $1', [
      lease.body.leaseId,
    ]);
    expect(row.at_expiry).toBe(true);
    const events = await eventsOf(lease.body.leaseId, 2);
    expect(events[1]?.payload).toMatchObject({ kind: 'disconnected', reason: 'expired' });
  });
});
