import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { AuditWriter } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, eventually, graphql, postSigned, ringBody, startTelephony, type TestAuth } from './harness';

/** The audit log of telephony's changes (docs/decisions/0011-audit-log.md), read through telephonyAuditLog. */
const AUDIT = `query($filter: AuditLogFilter, $first: Int, $after: String) {
  telephonyAuditLog(filter: $filter, first: $first, after: $after) {
    entries { id service at tenantId actorId actorName actorRoles operation targets outcome arguments }
    nextCursor
  }
}`;

interface Entry {
  id: string;
  service: string;
  tenantId: string | null;
  actorId: string | null;
  actorName: string | null;
  actorRoles: string[];
  operation: string;
  targets: string[];
  outcome: string;
  arguments: string | null;
}

describe('telephony audit log', () => {
  let app: INestApplication;
  let url: string;
  let auth: TestAuth;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const adminAId = randomUUID();
  let adminA: string;
  let adminB: string;
  let platform: string;

  beforeAll(async () => {
    ({ app, url, auth } = await startTelephony());
    adminA = await auth.sign({ tenantId: tenantA, userId: adminAId, roles: ['tenant-admin'], name: '管理 花子' });
    adminB = await auth.sign({ tenantId: tenantB, roles: ['tenant-admin'], name: 'B 管理' });
    platform = await auth.sign({ tenantId: randomUUID(), roles: ['platform-admin'], name: '運用 太郎' });
  });

  afterAll(async () => {
    await app?.close();
  });

  async function entries(token: string, filter: Record<string, unknown> = {}, first?: number, after?: string) {
    await app.get(AuditWriter).drain();
    const res = await graphql(url, token, AUDIT, { filter, first, after });
    expect(res.errors).toBeUndefined();
    return res.data?.telephonyAuditLog as { entries: Entry[]; nextCursor: string | null };
  }

  it('records a mutation once with its actor, target and outcome, and never its secret', async () => {
    const created = await graphql(
      url,
      adminA,
      'mutation { createWebhookKey(label: "PBX 本社") { secret key { keyId } } }',
    );
    const { secret, key } = created.data?.createWebhookKey ?? {};
    expect(secret).toMatch(/^whsec_/);

    const page = await entries(adminA, { operation: 'createWebhookKey' });
    expect(page.entries).toHaveLength(1);
    expect(page.entries[0]).toMatchObject({
      service: 'telephony',
      tenantId: tenantA,
      actorId: adminAId,
      actorName: '管理 花子',
      actorRoles: ['tenant-admin'],
      operation: 'Mutation.createWebhookKey',
      targets: [key.keyId],
      outcome: 'ok',
    });
    expect(JSON.parse(page.entries[0]?.arguments ?? 'null')).toEqual({ label: 'PBX 本社' });

    // Nowhere in the table, in any column.
    const raw = await app.get(DataSource).query('SELECT audit_log::text AS row FROM audit_log');
    expect(JSON.stringify(raw)).not.toContain(secret.slice(6));
  });

  it('records a failed mutation with its error code', async () => {
    const missing = `wk_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    const res = await graphql(url, adminA, 'mutation($k: String!) { revokeWebhookKey(keyId: $k) { keyId } }', {
      k: missing,
    });
    const code = res.errors?.[0]?.extensions?.code;
    expect(code).toBeTruthy();
    const page = await entries(adminA, { operation: 'revokeWebhookKey' });
    expect(page.entries.map((e) => [e.operation, e.targets, e.outcome])).toEqual([
      ['Mutation.revokeWebhookKey', [missing], code],
    ]);
  });

  it('keeps credentials out of the stored arguments', async () => {
    const token = `tok${randomUUID().replaceAll('-', '')}`;
    await graphql(
      url,
      adminA,
      'mutation($t: String!) { connectTwilio(accountSid: "AC0123456789abcdef0123456789abcdef", authToken: $t) }',
      {
        t: token,
      },
    );
    const page = await entries(adminA, { operation: 'connectTwilio' });
    expect(page.entries).toHaveLength(1);
    expect(JSON.parse(page.entries[0]?.arguments ?? 'null')).toMatchObject({ authToken: '[redacted]' });
    const raw = await app.get(DataSource).query('SELECT audit_log::text AS row FROM audit_log');
    expect(JSON.stringify(raw)).not.toContain(token);
  });

  it("shows a tenant admin their own tenant's entries only, whatever the filter names", async () => {
    await graphql(url, adminB, 'mutation { createWebhookKey(label: "B社") { key { keyId } } }');
    const own = await entries(adminB);
    expect(own.entries.length).toBeGreaterThan(0);
    expect(own.entries.every((e) => e.tenantId === tenantB)).toBe(true);
    const named = await entries(adminB, { tenantId: tenantA });
    expect(named.entries.every((e) => e.tenantId === tenantB)).toBe(true);
    const fromA = await entries(adminA);
    expect(fromA.entries.some((e) => e.tenantId === tenantB)).toBe(false);
  });

  it('lets a platform admin read every tenant, filter and page', async () => {
    const all = await entries(platform);
    const tenants = new Set(all.entries.map((e) => e.tenantId));
    expect(tenants.has(tenantA) && tenants.has(tenantB)).toBe(true);
    const onlyA = await entries(platform, { tenantId: tenantA, actor: '花子' });
    expect(onlyA.entries.map((e) => e.operation).sort()).toEqual([
      'Mutation.connectTwilio',
      'Mutation.createWebhookKey',
      'Mutation.revokeWebhookKey',
    ]);
    const first = await entries(platform, { tenantId: tenantA }, 2);
    expect(first.entries).toHaveLength(2);
    expect(first.nextCursor).toBeTruthy();
    const second = await entries(platform, { tenantId: tenantA }, 2, first.nextCursor ?? undefined);
    expect(second.entries).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect([...first.entries, ...second.entries].map((e) => e.operation)).toEqual([
      'Mutation.connectTwilio',
      'Mutation.revokeWebhookKey',
      'Mutation.createWebhookKey',
    ]);
    const future = await entries(platform, { tenantId: tenantA, from: new Date(Date.now() + 60_000).toISOString() });
    expect(future.entries).toEqual([]);
    // An operator may not read the log at all.
    const operator = await auth.sign({ tenantId: tenantA, roles: ['operator'] });
    expect((await graphql(url, operator, AUDIT)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('records a data-changing REST call, and neither webhooks nor reads', async () => {
    const before = await entries(platform, {}, 200);
    const key = await createKey(app, tenantA);
    expect((await postSigned(url, key, ringBody(randomUUID()))).status).toBe(202);
    const res = await fetch(`${url}/v1/outbox/parked/123456789/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform}` },
    });
    const status = res.status;
    const replay = await eventually(async () => {
      const page = await entries(platform, { operation: 'replay' });
      return page.entries[0];
    }, 'the replay entry');
    expect(replay).toMatchObject({
      operation: 'POST /v1/outbox/parked/:id/replay',
      targets: ['123456789'],
      outcome: status < 400 ? 'ok' : expect.any(String),
    });
    const after = await entries(platform, {}, 200);
    // The replay is the only new entry: the webhook call and the reads left none.
    expect(after.entries.length - before.entries.length).toBe(1);
    expect(after.entries.some((e) => e.operation.includes('/v1/calls/events'))).toBe(false);
  });
});
