import { randomUUID } from 'node:crypto';
import type { SessionEvent } from '@thankstar/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSessionEvents, eventually, startTestApp, type TestApp } from './support';

let t: TestApp;
let sessions: Awaited<ReturnType<typeof collectSessionEvents>>;

const REQUEST = `mutation ($pcName: String) { requestDesktopPairing(pcName: $pcName) { id code secret pcName expiresAt } }`;
const CLAIM = `mutation ($id: ID!, $secret: String!) {
  claimDesktopPairing(id: $id, secret: $secret) { status deviceCredential seatId pcName } }`;
const PREVIEW = `query ($code: String!) { desktopPairing(code: $code) { id pcName userId userName requestedAt expiresAt } }`;
const APPROVE = `mutation ($code: String!, $name: String, $secret: String) {
  approveDesktopPairing(code: $code, name: $name, secret: $secret) {
    deviceCredential seat { id name userId userName paired connected lastSeenAt deregisteredAt } } }`;
const REVOKE = 'mutation ($id: ID!) { deregisterSeat(id: $id) { id deregisteredAt } }';
const SEATS = 'query { seats { id name userName paired connected lastSeenAt } }';
const codeOf = (r: { errors?: { extensions: { code: string } }[] }) => r.errors?.[0]?.extensions.code;

beforeAll(async () => {
  t = await startTestApp();
  sessions = await collectSessionEvents();
});
afterAll(async () => {
  await sessions?.stop();
  await t?.close();
});

/** A tenant with an operator (Sato) and an admin (Kato), both real users. */
async function tenant() {
  const tenantId = randomUUID();
  const operatorId = randomUUID();
  const adminId = randomUUID();
  const otherId = randomUUID();
  await t.db.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [tenantId, 'pairing test']);
  for (const [id, name, role] of [
    [operatorId, 'Sato', 'operator'],
    [adminId, 'Kato', 'tenant-admin'],
    [otherId, 'Suzuki', 'operator'],
  ] as const) {
    await t.db.query(
      `INSERT INTO users (id, tenant_id, email, name, password_hash, roles) VALUES ($1, $2, $3, $4, 'x', ARRAY[$5])`,
      [id, tenantId, `${id}@example.jp`, name, role],
    );
  }
  return {
    tenantId,
    operatorId,
    operator: await t.sign({ tenantId, userId: operatorId, name: 'Sato' }),
    admin: await t.sign({ tenantId, userId: adminId, name: 'Kato', roles: ['tenant-admin'] }),
    other: await t.sign({ tenantId, userId: otherId, name: 'Suzuki' }),
  };
}

const desktopLease = (token: string, deviceCredential: string) =>
  t.http('POST', '/v1/desktop-leases', token, { deviceCredential, label: '受付PC' });

describe('desktop pairing', () => {
  it('pairs a PC: code, admin preview and approval, the credential delivered once, then admitted', async () => {
    const a = await tenant();
    const req = (await t.gql(a.operator, REQUEST, { pcName: '受付PC' })).data.requestDesktopPairing;
    expect(req.code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(req.pcName).toBe('受付PC');
    expect(Date.parse(req.expiresAt) - Date.now()).toBeGreaterThan(590_000);
    // Only hashes are stored.
    const [row] = await t.db.query('SELECT code_hash, secret_hash FROM desktop_pairings WHERE id = $1', [req.id]);
    expect(JSON.stringify(row)).not.toContain(req.code.replace('-', ''));
    expect(JSON.stringify(row)).not.toContain(req.secret);

    expect((await t.gql(a.operator, CLAIM, { id: req.id, secret: req.secret })).data.claimDesktopPairing).toMatchObject(
      {
        status: 'PENDING',
        deviceCredential: null,
      },
    );
    // The admin sees the PC name, the user and the time before approving; the code reads in any case.
    const preview = (await t.gql(a.admin, PREVIEW, { code: req.code.toLowerCase() })).data.desktopPairing;
    expect(preview).toMatchObject({ id: req.id, pcName: '受付PC', userId: a.operatorId, userName: 'Sato' });
    const approved = (await t.gql(a.admin, APPROVE, { code: req.code })).data.approveDesktopPairing;
    // Approved from another browser: the answer does not carry the credential, the PC collects it.
    expect(approved).toMatchObject({
      deviceCredential: null,
      seat: { name: '受付PC', userId: a.operatorId, userName: 'Sato', paired: false, deregisteredAt: null },
    });
    // The code is spent.
    expect(codeOf(await t.gql(a.admin, APPROVE, { code: req.code }))).toBe('PAIRING_NOT_FOUND');
    // Only the PC's own user with its secret collects it.
    expect(codeOf(await t.gql(a.other, CLAIM, { id: req.id, secret: req.secret }))).toBe('PAIRING_NOT_FOUND');
    expect(codeOf(await t.gql(a.operator, CLAIM, { id: req.id, secret: 'x'.repeat(43) }))).toBe('PAIRING_NOT_FOUND');
    const claimed = (await t.gql(a.operator, CLAIM, { id: req.id, secret: req.secret })).data.claimDesktopPairing;
    expect(claimed).toMatchObject({ status: 'APPROVED', seatId: approved.seat.id });
    expect(Buffer.from(claimed.deviceCredential, 'base64url')).toHaveLength(32);
    // Delivered once.
    expect((await t.gql(a.operator, CLAIM, { id: req.id, secret: req.secret })).data.claimDesktopPairing).toMatchObject(
      { status: 'DELIVERED', deviceCredential: null },
    );
    const [seatRow] = await t.db.query('SELECT credential_hash FROM seats WHERE id = $1', [approved.seat.id]);
    expect(seatRow.credential_hash).not.toContain(claimed.deviceCredential);

    // The credential admits the PC for its user only.
    const lease = await desktopLease(a.operator, claimed.deviceCredential);
    expect(lease.status).toBe(201);
    expect(await desktopLease(a.other, claimed.deviceCredential)).toMatchObject({
      status: 403,
      body: { code: 'DEVICE_CREDENTIAL_INVALID' },
    });
    const listed = (await t.gql(a.admin, SEATS)).data.seats;
    expect(listed).toEqual([
      expect.objectContaining({ id: approved.seat.id, userName: 'Sato', paired: true, connected: true }),
    ]);
    expect(Date.now() - Date.parse(listed[0].lastSeenAt)).toBeLessThan(60_000);
  });

  it('registers the admin’s own PC in one click: the approval with the pairing’s secret carries the credential', async () => {
    const a = await tenant();
    const req = (await t.gql(a.admin, REQUEST, {})).data.requestDesktopPairing;
    expect(req.pcName).toBe('KatoのPC');
    const approved = (await t.gql(a.admin, APPROVE, { code: req.code, secret: req.secret })).data.approveDesktopPairing;
    expect(approved.seat).toMatchObject({ name: 'KatoのPC', userName: 'Kato', paired: true });
    expect(Buffer.from(approved.deviceCredential, 'base64url')).toHaveLength(32);
    expect((await t.gql(a.admin, CLAIM, { id: req.id, secret: req.secret })).data.claimDesktopPairing).toMatchObject({
      status: 'DELIVERED',
      deviceCredential: null,
    });
    expect((await desktopLease(a.admin, approved.deviceCredential)).status).toBe(201);
  });

  it('refuses a wrong or expired code, and another tenant’s admin never finds the code (tenant isolation)', async () => {
    const a = await tenant();
    const b = await tenant();
    const req = (await t.gql(a.operator, REQUEST, { pcName: 'PC-A' })).data.requestDesktopPairing;
    expect(codeOf(await t.gql(a.admin, APPROVE, { code: 'ABCD-EFG' }))).toBe('PAIRING_NOT_FOUND');
    expect(codeOf(await t.gql(a.admin, APPROVE, { code: req.code === 'AAAA-AAAA' ? 'BBBB-BBBB' : 'AAAA-AAAA' }))).toBe(
      'PAIRING_NOT_FOUND',
    );
    expect(codeOf(await t.gql(b.admin, PREVIEW, { code: req.code }))).toBe('PAIRING_NOT_FOUND');
    expect(codeOf(await t.gql(b.admin, APPROVE, { code: req.code }))).toBe('PAIRING_NOT_FOUND');
    // Operators cannot approve.
    expect(codeOf(await t.gql(a.other, APPROVE, { code: req.code }))).toBe('FORBIDDEN');
    expect(
      (
        await t.db.query('SELECT count(*)::int AS n FROM seats WHERE tenant_id = ANY($1)', [[a.tenantId, b.tenantId]])
      )[0].n,
    ).toBe(0);
    // Past its 10 minutes the code is gone, and the PC sees EXPIRED.
    await t.db.query(`UPDATE desktop_pairings SET expires_at = clock_timestamp() - interval '1 second' WHERE id = $1`, [
      req.id,
    ]);
    expect(codeOf(await t.gql(a.admin, PREVIEW, { code: req.code }))).toBe('PAIRING_NOT_FOUND');
    expect(codeOf(await t.gql(a.admin, APPROVE, { code: req.code }))).toBe('PAIRING_NOT_FOUND');
    expect((await t.gql(a.operator, CLAIM, { id: req.id, secret: req.secret })).data.claimDesktopPairing.status).toBe(
      'EXPIRED',
    );
  });

  it('limits pairing requests per user', async () => {
    const a = await tenant();
    for (let i = 0; i < 5; i++) expect((await t.gql(a.operator, REQUEST, {})).errors).toBeUndefined();
    const refused = await t.gql(a.operator, REQUEST, {});
    expect(codeOf(refused)).toBe('PAIRING_RATE_LIMITED');
    expect(refused.errors?.[0]?.message).toMatch(/ペアリングの要求が多すぎます/);
    // Another user of the tenant is not affected.
    expect((await t.gql(a.other, REQUEST, {})).errors).toBeUndefined();
  });

  it('revokes a PC: its credential stops admitting it and its lease ends as revoked', async () => {
    const a = await tenant();
    const req = (await t.gql(a.operator, REQUEST, {})).data.requestDesktopPairing;
    const approved = (await t.gql(a.admin, APPROVE, { code: req.code })).data.approveDesktopPairing;
    const { deviceCredential } = (await t.gql(a.operator, CLAIM, { id: req.id, secret: req.secret })).data
      .claimDesktopPairing;
    const lease = await desktopLease(a.operator, deviceCredential);
    expect(lease.status).toBe(201);
    expect((await t.gql(a.admin, REVOKE, { id: approved.seat.id })).errors).toBeUndefined();
    const [row] = await t.db.query('SELECT end_reason FROM leases WHERE id = $1', [lease.body.leaseId]);
    expect(row.end_reason).toBe('revoked');
    const events = await eventually(() => {
      const mine = sessions.events.filter(
        (e: SessionEvent) => 'leaseId' in e.payload && e.payload.leaseId === lease.body.leaseId,
      );
      return mine.length >= 2 ? mine : undefined;
    }, 'the revoked lease’s events');
    expect(events[1]?.payload).toMatchObject({ kind: 'disconnected', reason: 'revoked', deviceKind: 'desktop' });
    expect(await desktopLease(a.operator, deviceCredential)).toMatchObject({
      status: 403,
      body: { code: 'DEVICE_CREDENTIAL_INVALID' },
    });
    // Its heartbeat says why, so the gateway closes with SEAT_REVOKED whichever news comes first.
    expect(await t.http('POST', `/v1/desktop-leases/${lease.body.leaseId}/heartbeat`, a.operator)).toMatchObject({
      status: 403,
      body: { code: 'DEVICE_CREDENTIAL_INVALID' },
    });
  });
});
