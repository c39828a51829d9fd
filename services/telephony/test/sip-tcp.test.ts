import { type AddressInfo, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type SipCallEvent, SipUserAgent } from '../src/sip/sip-user-agent';
import { eventually } from './harness';
import { freeTcpPort, runSipp } from './sipp';

/** SIP over TCP (RFC 3261 §18) against sipp: -t t1 (one connection) and -t tn (one per call). */
describe('SIP listener over TCP against sipp', () => {
  const agents: SipUserAgent[] = [];
  const kills: (() => void)[] = [];
  afterEach(async () => {
    for (const kill of kills.splice(0)) kill();
    await Promise.all(agents.splice(0).map((a) => a.stop()));
  });

  const listener = async (events: SipCallEvent[], registrar?: string, states?: string[]) => {
    const agent = new SipUserAgent(
      {
        registrar: registrar ?? `127.0.0.1:${await freeTcpPort()}`,
        username: '201',
        password: 's3cret-pass',
        bindHost: '127.0.0.1',
        transport: 'tcp',
        expires: 60,
      },
      (e) => {
        events.push(e);
      },
      (state) => states?.push(state),
    );
    agents.push(agent);
    await agent.start();
    return agent;
  };

  const registrarTcp = (port: number, password: string) => {
    const run = runSipp('registrar-tcp.xml', ['-t', 't1', '-p', String(port), '-set', 'password', password]);
    kills.push(run.kill);
    return run;
  };

  it('registers with digest auth on one connection, rings for an INVITE the PBX sends on it, renews on it, and reconnects when it drops', async () => {
    const port = await freeTcpPort();
    const first = registrarTcp(port, 's3cret-pass');
    await new Promise((r) => setTimeout(r, 300)); // sipp binds its port
    const events: SipCallEvent[] = [];
    const states: string[] = [];
    const agent = await listener(events, `127.0.0.1:${port}`, states);
    const one = await first.exited;
    expect(one.code, one.output).toBe(0);
    expect(agent.registrations).toBe(2);
    expect(events.map((e) => e.kind)).toEqual(['ringing', 'missed']);
    expect(events[0]?.from).toMatchObject({ e164: '+81451234567', display: '045-123-4567' });
    expect(events[0]?.to).toMatchObject({ e164: '+81312345678' });
    const renewed = states.lastIndexOf('registered');

    // sipp has exited and closed the connection: the agent counts a failure, backs off, connects
    // again and registers on the new connection.
    const second = registrarTcp(port, 's3cret-pass');
    const two = await second.exited;
    expect(two.code, two.output).toBe(0);
    expect(agent.registrations).toBe(4);
    const after = states.slice(renewed + 1);
    expect(after.indexOf('failed')).toBeGreaterThanOrEqual(0);
    expect(after.indexOf('registered')).toBeGreaterThan(after.indexOf('failed'));
    expect(events.map((e) => e.kind)).toEqual(['ringing', 'missed', 'ringing', 'missed']);
  });

  it('reports a refused password over TCP as a failed registration', async () => {
    const port = await freeTcpPort();
    const registrar = registrarTcp(port, 'the-real-one');
    await new Promise((r) => setTimeout(r, 300));
    const states: string[] = [];
    const agent = await listener([], `127.0.0.1:${port}`, states);
    const { code } = await registrar.exited;
    expect(code).not.toBe(0);
    expect(states).toContain('failed');
    expect(agent.registrations).toBe(0);
  });

  it('keeps reconnecting, failure after failure, when nothing listens at the registrar', async () => {
    const states: string[] = [];
    const agent = await listener([], undefined, states);
    await eventually(() => states.filter((s) => s === 'failed').length >= 3, 'three failed connections', 20_000);
    expect(agent.registrations).toBe(0);
  });

  it('drops a connection whose registrar never answers and connects again, sending Via and Contact for its listening port', async () => {
    // A TCP peer that accepts and reads but never answers.
    const received: string[] = [];
    const sockets = new Set<Socket>();
    let connections = 0;
    const silent = createServer((socket) => {
      connections += 1;
      sockets.add(socket);
      socket.on('data', (d: Buffer) => received.push(d.toString('utf8')));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const states: string[] = [];
      const agent = new SipUserAgent(
        {
          registrar: `127.0.0.1:${port}`,
          username: '201',
          password: 'x',
          bindHost: '127.0.0.1',
          transport: 'tcp',
          answerTimeoutMs: 100,
        },
        () => undefined,
        (state) => states.push(state),
      );
      agents.push(agent);
      await agent.start();
      await eventually(() => connections >= 3, 'three connections, one after each failure', 20_000);
      expect(states.filter((s) => s === 'failed').length).toBeGreaterThanOrEqual(2);
      const register = received.join('');
      expect(register).toMatch(/^REGISTER sip:127\.0\.0\.1:\d+;transport=tcp SIP\/2\.0\r\n/);
      expect(register).toContain(`Via: SIP/2.0/TCP 127.0.0.1:${agent.localPort};branch=z9hG4bK`);
      expect(register).toContain(`Contact: <sip:201@127.0.0.1:${agent.localPort};transport=tcp>`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  const call = (agent: SipUserAgent, scenario: string, mode: 't1' | 'tn', sets: string[]) => {
    const run = runSipp(scenario, [
      `127.0.0.1:${agent.localPort}`,
      '-t',
      mode,
      '-max_socket',
      '64',
      '-s',
      '0312345678',
      ...sets,
    ]);
    kills.push(run.kill);
    return run.exited;
  };

  it('rings for an INVITE with P-Asserted-Identity on a connection the caller opens (-t t1), and CANCEL ends it as missed', async () => {
    const events: SipCallEvent[] = [];
    const agent = await listener(events);
    const { code, output } = await call(agent, 'caller.xml', 't1', [
      '-set',
      'pai',
      'sip:09011112222@carrier.example',
      '-set',
      'reason',
      'Q.850;cause=16',
    ]);
    expect(code, output).toBe(0);
    expect(events.map((e) => e.kind)).toEqual(['ringing', 'missed']);
    expect(events[0]?.from).toMatchObject({ e164: '+819011112222', display: '090-1111-2222' });
    expect(events[0]?.to).toMatchObject({ e164: '+81312345678' });
    expect(events[0]?.callId).toBe(events[1]?.callId);
  });

  it('reads the caller from From when there is no P-Asserted-Identity (-t tn)', async () => {
    const events: SipCallEvent[] = [];
    const agent = await listener(events);
    const { code, output } = await call(agent, 'caller-from.xml', 'tn', ['-set', 'from', '0451234567']);
    expect(code, output).toBe(0);
    expect(events.map((e) => e.kind)).toEqual(['ringing', 'missed']);
    expect(events[0]?.from).toMatchObject({ e164: '+81451234567', display: '045-123-4567' });
  });

  it('reads anonymous as withheld and a CANCEL for an answer elsewhere as answered (-t tn)', async () => {
    const events: SipCallEvent[] = [];
    const agent = await listener(events);
    const { code, output } = await call(agent, 'caller.xml', 'tn', [
      '-set',
      'pai',
      'sip:anonymous@anonymous.invalid',
      '-set',
      'reason',
      'SIP;cause=200;text="Call completed elsewhere"',
    ]);
    expect(code, output).toBe(0);
    expect(events.map((e) => e.kind)).toEqual(['ringing', 'answered']);
    expect(events[0]?.from).toEqual({
      raw: 'anonymous',
      e164: null,
      display: null,
      valid: false,
      withheldReason: 'WITHHELD',
    });
  });
});
