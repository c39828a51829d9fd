import { randomUUID } from 'node:crypto';
import {
  billableDevicesInMonth,
  POPUPS_TOPIC,
  type PopupClass,
  popupSchema,
  SESSIONS_TOPIC,
  sessionEventSchema,
} from '@thankstar/contracts';
import { KafkaJsBus, kafkaBrokersFromEnv, platformTopics } from '@thankstar/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvoicingService } from '../src/invoicing/invoicing.service';
import { RatingRepository } from '../src/rating/rating.repository';
import { eventually, popupEvent, startTestApp, type TestApp } from './support';

let t: TestApp;
let bus: KafkaJsBus;

beforeAll(async () => {
  bus = new KafkaJsBus({ clientId: 'billing-presence-test-writer', brokers: kafkaBrokersFromEnv() });
  await bus.ensureTopics(platformTopics);
  t = await startTestApp({ skipHistory: true });
});
afterAll(async () => {
  await t?.close();
  await bus?.close();
});

const popup = popupEvent;

function session(tenantId: string, payload: Record<string, unknown>) {
  return sessionEventSchema.parse({
    id: randomUUID(),
    type: 'licensing.session',
    tenantId,
    occurredAt: payload.at,
    payload,
  });
}

const publish = (topic: string, events: { tenantId: string; payload: unknown }[]) =>
  bus.publish(events.map((e) => ({ topic, key: e.tenantId, value: JSON.stringify(e) })));

async function contractFor(tenantId: string) {
  const bo = await t.sign({ tenantId: randomUUID(), roles: ['back-office'] });
  const res = await t.gql(bo, 'mutation($i: NewContractInput!) { createContract(input: $i) { id } }', {
    i: {
      tenantId,
      recipientName: '株式会社サンプル',
      planCode: 'CLOUD',
      serviceStartDate: '2026-04-01',
      listInput: 'NONE',
    },
  });
  expect(res.errors).toBeUndefined();
}

const rated = async (tenantId: string, callId: string) =>
  (
    await t.db.query('SELECT amount_yen, exemption FROM rated_calls WHERE tenant_id = $1 AND call_id = $2', [
      tenantId,
      callId,
    ])
  )[0] as { amount_yen: number; exemption: string | null } | undefined;

describe('presence from desktop clients (real Kafka and Postgres)', () => {
  it('bills an after-hours call when only a desktop client was connected, exempts it when nobody was', async () => {
    const withDesktop = randomUUID();
    const nobody = randomUUID();
    await contractFor(withDesktop);
    await contractFor(nobody);
    const leaseId = randomUUID();
    const userId = randomUUID();
    // The desktop lease's facts, as licensing publishes them (deviceKind 'desktop').
    await publish(SESSIONS_TOPIC, [
      session(withDesktop, {
        kind: 'connected',
        leaseId,
        userId,
        deviceKind: 'desktop',
        at: '2026-04-16T20:30:00+09:00',
      }),
      session(withDesktop, {
        kind: 'disconnected',
        leaseId,
        userId,
        reason: 'expired',
        at: '2026-04-16T22:00:00+09:00',
      }),
    ]);
    await eventually(async () => {
      const rows = await t.db.query(
        'SELECT 1 FROM presence_intervals WHERE tenant_id = $1 AND connected_at IS NOT NULL AND disconnected_at IS NOT NULL',
        [withDesktop],
      );
      return rows.length === 1 ? true : undefined;
    }, 'desktop presence recorded');

    // 21:00 on a Thursday: after hours in Tokyo.
    await publish(POPUPS_TOPIC, [
      popup(withDesktop, 'd1', 'CUSTOMER', '2026-04-16T21:00:00+09:00'),
      popup(withDesktop, 'd2', 'CUSTOMER', '2026-04-16T22:30:00+09:00'), // after the desktop expired
      popup(nobody, 'n1', 'CUSTOMER', '2026-04-16T21:00:00+09:00'),
    ]);
    const calls = await eventually(async () => {
      const all = [await rated(withDesktop, 'd1'), await rated(withDesktop, 'd2'), await rated(nobody, 'n1')];
      return all.every(Boolean) ? all : undefined;
    }, 'calls rated');
    expect(calls).toEqual([
      { amount_yen: 30, exemption: null },
      { amount_yen: 0, exemption: 'AFTER_HOURS_UNATTENDED' },
      { amount_yen: 0, exemption: 'AFTER_HOURS_UNATTENDED' },
    ]);
    // On April's invoices (README, "Worked examples: PCs and presence", 1).
    const invoicing = t.app.get(InvoicingService);
    const desktopInvoice = await invoicing.closeMonth(withDesktop, '2026-04');
    expect(desktopInvoice.lines.map((l) => [l.kind, l.quantity, l.amountYen])).toEqual([
      ['MAINTENANCE', 1, 10_000],
      ['POPUPS', 1, 30],
      ['EXEMPT_POPUPS', 1, 0],
    ]);
    expect(desktopInvoice.totalYen).toBe(11_033); // 10,030 + tax 1,003 (1,003.0)
    const nobodyInvoice = await invoicing.closeMonth(nobody, '2026-04');
    expect(nobodyInvoice.lines.map((l) => [l.kind, l.quantity, l.amountYen])).toEqual([
      ['MAINTENANCE', 1, 10_000],
      ['EXEMPT_POPUPS', 1, 0],
    ]);
    expect(nobodyInvoice.totalYen).toBe(11_000);
  });
});

describe('PCs billed in a month (seat facts from licensing)', () => {
  it('bills a PC registered twice in the month once, and not a seat deregistered at 00:00 on the 1st', async () => {
    const tenantId = randomUUID();
    const other = randomUUID();
    await contractFor(tenantId);
    const seat = (deviceId: string, registered: string, deregistered: string | null) => {
      const seatId = randomUUID();
      return [
        session(tenantId, { kind: 'seat-registered', seatId, deviceId, at: registered }),
        ...(deregistered ? [session(tenantId, { kind: 'seat-deregistered', seatId, deviceId, at: deregistered })] : []),
      ];
    };
    await publish(SESSIONS_TOPIC, [
      // PC-A: deregistered and registered again within May: two seat rows, one PC.
      ...seat('PC-A', '2026-05-03T09:00:00+09:00', '2026-05-10T09:00:00+09:00'),
      ...seat('PC-A', '2026-05-12T09:00:00+09:00', null),
      // PC-B: deregistered exactly at 00:00 on 1 May in Tokyo: April's, not May's.
      ...seat('PC-B', '2026-04-02T09:00:00+09:00', '2026-05-01T00:00:00+09:00'),
      // PC-C: deregistered one second into May: May's.
      ...seat('PC-C', '2026-04-02T09:00:00+09:00', '2026-05-01T00:00:01+09:00'),
      // PC-D: registered at 00:00 on 1 June: June's.
      ...seat('PC-D', '2026-06-01T00:00:00+09:00', null),
      // Another tenant's PC with the same device id does not count here.
      session(other, {
        kind: 'seat-registered',
        seatId: randomUUID(),
        deviceId: 'PC-A',
        at: '2026-05-03T09:00:00+09:00',
      }),
    ]);
    await eventually(async () => {
      const rows = await t.db.query('SELECT 1 FROM seats WHERE tenant_id = $1 AND registered_at IS NOT NULL', [
        tenantId,
      ]);
      const done = await t.db.query(
        'SELECT 1 FROM seats WHERE tenant_id = $1 AND deregistered_at IS NOT NULL AND registered_at IS NOT NULL',
        [tenantId],
      );
      return rows.length === 5 && done.length === 3 ? true : undefined;
    }, 'seats recorded');

    const count = (month: string, timezone = 'Asia/Tokyo') =>
      t.app.get(RatingRepository).pcsRegisteredInMonthMany(t.db.manager, [{ tenantId, timezone }], `${month}-01`);
    expect((await count('2026-05')).get(tenantId)).toBe(2); // PC-A once, PC-C
    expect((await count('2026-04')).get(tenantId)).toBe(2); // PC-B, PC-C
    expect((await count('2026-06')).get(tenantId)).toBe(2); // PC-A, PC-D
    // The tenant's zone decides: in UTC, May is PC-A and PC-D (registered 31 May 15:00 UTC), not PC-C.
    expect((await count('2026-05', 'UTC')).get(tenantId)).toBe(2);

    // The SQL and the shared rule agree: billing's count is the rule applied to all the tenant's rows.
    const rows: { device_id: string; registered_at: Date; deregistered_at: Date | null }[] = await t.db.query(
      'SELECT device_id, registered_at, deregistered_at FROM seats WHERE tenant_id = $1',
      [tenantId],
    );
    const periods = rows.map((r) => ({
      deviceId: r.device_id,
      registeredAt: r.registered_at,
      deregisteredAt: r.deregistered_at,
    }));
    for (const month of ['2026-03', '2026-04', '2026-05', '2026-06', '2026-07']) {
      expect((await count(month)).get(tenantId) ?? 0).toBe(billableDevicesInMonth(periods, month, 'Asia/Tokyo').length);
    }
    // On May's invoice (README, "Worked examples: PCs and presence", 2): two PCs, not the three
    // seat rows that overlap May, nor PC-B.
    const may = await t.app.get(InvoicingService).closeMonth(tenantId, '2026-05');
    expect(may.lines.find((l) => l.kind === 'SOFTWARE_FEE')).toMatchObject({
      quantity: 2,
      unitPriceYen: 1_050,
      amountYen: 2_100,
    });
    expect([may.subtotalYen, may.taxYen, may.totalYen]).toEqual([12_100, 1_210, 13_310]);
  });
});
