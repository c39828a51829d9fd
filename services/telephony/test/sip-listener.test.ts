import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG, type TelephonyConfig } from '../src/config';
import { LinesService } from '../src/lines/lines.service';
import { SipListenerService } from '../src/sip/sip-listener.service';
import { consumeCallEvents, eventually, graphql, startTelephony, type TestAuth } from './harness';
import { freeTcpPort, freeUdpPort, runSipp } from './sipp';

const CONFIGURE = `mutation($registrar: String!, $password: String!, $transport: SipTransport) {
  configureSip(registrar: $registrar, username: "201", password: $password, transport: $transport) { registrar username transport registrationState }
}`;

describe('SIP listener inside the service', () => {
  let app: INestApplication;
  let url: string;
  let auth: TestAuth;
  let consumer: Awaited<ReturnType<typeof consumeCallEvents>>;
  const tenantA = randomUUID();
  const tenantB = randomUUID();

  beforeAll(async () => {
    process.env.SIP_LISTENER = 'on';
    process.env.SIP_BIND_HOST = '127.0.0.1';
    // sipp plays the PBX on loopback, which the registrar rule refuses unless the platform allows it.
    process.env.SIP_ALLOWED_CONTACT_CIDRS = '127.0.0.1/32';
    ({ app, url, auth } = await startTelephony());
    consumer = await consumeCallEvents([tenantA, tenantB]);
    await app.get(LinesService).add(tenantA, '0312345678', '東京店');
  });

  afterAll(async () => {
    delete process.env.SIP_LISTENER;
    delete process.env.SIP_BIND_HOST;
    delete process.env.SIP_ALLOWED_CONTACT_CIDRS;
    await consumer?.stop();
    await app?.close();
  });

  it('registers with the stored settings, records a ring and its CANCEL as a missed call, and publishes both', async () => {
    const registrarPort = await freeUdpPort();
    const registrar = runSipp('registrar.xml', ['-p', String(registrarPort), '-set', 'password', 'pbx-pass-201']);
    await new Promise((r) => setTimeout(r, 300)); // sipp binds its port
    const admin = await auth.sign({ tenantId: tenantA, roles: ['tenant-admin'] });
    const configured = await graphql(url, admin, CONFIGURE, {
      registrar: `127.0.0.1:${registrarPort}`,
      password: 'pbx-pass-201',
    });
    expect(configured.data?.configureSip).toMatchObject({
      registrar: `127.0.0.1:${registrarPort}`,
      username: '201',
      transport: 'UDP',
    });
    const registered = await registrar.exited;
    expect(registered.code, registered.output).toBe(0);
    const stored: { password_encrypted: string }[] = await app
      .get(DataSource)
      .query('SELECT password_encrypted FROM sip_accounts WHERE tenant_id = $1', [tenantA]);
    expect(stored[0]?.password_encrypted).not.toContain('pbx-pass-201');

    const agent = app.get(SipListenerService).agentFor(tenantA);
    const caller = runSipp('caller.xml', [
      `127.0.0.1:${agent?.localPort}`,
      '-p',
      String(await freeUdpPort()),
      '-s',
      '0312345678',
      '-set',
      'pai',
      'sip:09011112222@carrier.example',
      '-set',
      'reason',
      'Q.850;cause=16',
    ]);
    const called = await caller.exited;
    expect(called.code, called.output).toBe(0);
    const events = await eventually(() => {
      const mine = consumer.events.filter((e) => e.tenantId === tenantA && e.payload.source === 'sip');
      return mine.length >= 2 && mine;
    }, 'the SIP ring and its end');
    expect(events.map((e) => e.payload.event)).toEqual(['ringing', 'missed']);
    expect(events[0]?.payload).toMatchObject({ from: { display: '090-1111-2222' }, lineLabel: '東京店' });

    const operator = await auth.sign({ tenantId: tenantA });
    const calls = await graphql(url, operator, 'query { calls { items { source status line { label } } } }');
    expect(calls.data?.calls.items).toEqual([{ source: 'SIP', status: 'MISSED', line: { label: '東京店' } }]);
  });

  it('keeps SIP settings to tenant admins of their own tenant, and refuses bad ones', async () => {
    const adminB = await auth.sign({ tenantId: tenantB, roles: ['tenant-admin'] });
    const operatorA = await auth.sign({ tenantId: tenantA });
    const query = 'query { sipSettings { registrar registrationState } }';
    expect((await graphql(url, adminB, query)).data?.sipSettings).toBeNull();
    expect((await graphql(url, operatorA, query)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(
      (await graphql(url, adminB, CONFIGURE, { registrar: 'pbx example', password: 'x' })).errors?.[0]?.extensions
        ?.code,
    ).toBe('INVALID_REGISTRAR');
    expect(
      (await graphql(url, adminB, CONFIGURE, { registrar: 'pbx.example', password: 'x', transport: 'TLS' })).errors?.[0]
        ?.extensions?.code,
    ).toBe('BAD_USER_INPUT');
    expect((await graphql(url, adminB, query)).data?.sipSettings).toBeNull();
  });

  it('refuses a registrar on loopback, private, link-local or documentation addresses unless the platform allows the range', async () => {
    const adminB = await auth.sign({ tenantId: tenantB, roles: ['tenant-admin'] });
    const configure = async (registrar: string) =>
      (await graphql(url, adminB, CONFIGURE, { registrar, password: 'x' })).errors?.[0]?.extensions?.code ?? 'OK';
    // 127.0.0.2 is loopback too, outside the allowed 127.0.0.1/32.
    for (const registrar of [
      '127.0.0.2:9',
      '10.0.0.1',
      '192.168.1.10:5060',
      '169.254.169.254:80',
      '0.0.0.0:5060',
      '192.0.2.1',
      '224.0.0.1',
    ]) {
      expect(await configure(registrar), registrar).toBe('REGISTRAR_ADDRESS_NOT_ALLOWED');
    }
    // Without the allow list, the loopback address sipp uses is refused as well, by name too
    // (the running app's configuration, read at each use).
    const config = app.get<TelephonyConfig>(CONFIG);
    config.SIP_ALLOWED_CONTACT_CIDRS = undefined;
    try {
      expect(await configure('127.0.0.1:9')).toBe('REGISTRAR_ADDRESS_NOT_ALLOWED');
      expect(await configure('localhost:9')).toBe('REGISTRAR_ADDRESS_NOT_ALLOWED');
      expect(await configure('127.0.0.1:0')).toBe('INVALID_REGISTRAR');
    } finally {
      config.SIP_ALLOWED_CONTACT_CIDRS = '127.0.0.1/32';
    }
    expect((await graphql(url, adminB, 'query { sipSettings { registrar } }')).data?.sipSettings).toBeNull();
    // A public address is accepted; the listener is off meanwhile, so nothing is sent there.
    config.SIP_LISTENER = false;
    try {
      expect(await configure('203.0.114.1:5060')).toBe('OK');
    } finally {
      config.SIP_LISTENER = true;
    }
  });

  it('registers over TCP when the settings say so, and records the ring the PBX sends on that connection', async () => {
    const registrarPort = await freeTcpPort();
    const registrar = runSipp('registrar-tcp.xml', [
      '-t',
      't1',
      '-p',
      String(registrarPort),
      '-set',
      'password',
      'pbx-pass-tcp',
    ]);
    await new Promise((r) => setTimeout(r, 300)); // sipp binds its port
    const adminB = await auth.sign({ tenantId: tenantB, roles: ['tenant-admin'] });
    const configured = await graphql(url, adminB, CONFIGURE, {
      registrar: `127.0.0.1:${registrarPort}`,
      password: 'pbx-pass-tcp',
      transport: 'TCP',
    });
    expect(configured.data?.configureSip).toMatchObject({ transport: 'TCP' });
    const registered = await registrar.exited;
    expect(registered.code, registered.output).toBe(0);
    expect(app.get(SipListenerService).agentFor(tenantB)?.registrations).toBe(2);
    const events = await eventually(() => {
      const mine = consumer.events.filter((e) => e.tenantId === tenantB && e.payload.source === 'sip');
      return mine.length >= 2 && mine;
    }, 'the SIP ring over TCP and its end');
    expect(events.map((e) => e.payload.event)).toEqual(['ringing', 'missed']);
    expect(events[0]?.payload).toMatchObject({ from: { display: '045-123-4567' } });
    // Tenant A's settings and calls are untouched.
    const adminA = await auth.sign({ tenantId: tenantA, roles: ['tenant-admin'] });
    const settingsA = await graphql(url, adminA, 'query { sipSettings { transport } }');
    expect(settingsA.data?.sipSettings).toEqual({ transport: 'UDP' });
  });
  it('gives each SIP tenant its own port from SIP_BIND_PORT, the port a deployment exposes, and keeps it', async () => {
    const config = app.get<TelephonyConfig>(CONFIG);
    const base = await freeUdpPort();
    config.SIP_BIND_PORT = base;
    config.SIP_BIND_PORTS = 2;
    try {
      const tenants = [randomUUID(), randomUUID(), randomUUID()];
      // Nothing answers at this registrar: the agents bind and keep trying, which is all this needs.
      const registrar = `127.0.0.1:${await freeUdpPort()}`;
      for (const tenant of tenants) {
        const admin = await auth.sign({ tenantId: tenant, roles: ['tenant-admin'] });
        const res = await graphql(url, admin, CONFIGURE, { registrar, password: 'x' });
        expect(res.errors).toBeUndefined();
      }
      const listener = app.get(SipListenerService);
      expect(listener.agentFor(tenants[0] ?? '')?.localPort).toBe(base);
      expect(listener.agentFor(tenants[1] ?? '')?.localPort).toBe(base + 1);
      // The range is full: the third tenant gets no agent (and an error in the log), never a random port.
      expect(listener.agentFor(tenants[2] ?? '')).toBeUndefined();
      // Saving its settings again keeps the first tenant on its port (its PBX sends to that Contact).
      const admin0 = await auth.sign({ tenantId: tenants[0] ?? '', roles: ['tenant-admin'] });
      await graphql(url, admin0, CONFIGURE, { registrar, password: 'y' });
      expect(listener.agentFor(tenants[0] ?? '')?.localPort).toBe(base);
    } finally {
      config.SIP_BIND_PORT = 0;
      config.SIP_BIND_PORTS = 10;
    }
  });
});
