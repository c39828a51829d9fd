import { afterEach, describe, expect, it } from 'vitest';
import { type SipCallEvent, SipUserAgent } from '../src/sip/sip-user-agent';
import { eventually } from './harness';
import { freeUdpPort, runSipp } from './sipp';

describe('SIP listener against sipp', () => {
  const agents: SipUserAgent[] = [];
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
  });

  it('registers with digest auth and renews the binding before it expires', async () => {
    const port = await freeUdpPort();
    const registrar = runSipp('registrar.xml', ['-p', String(port), '-set', 'password', 's3cret-pass']);
    await new Promise((r) => setTimeout(r, 300)); // sipp binds its port
    const agent = new SipUserAgent(
      { registrar: `127.0.0.1:${port}`, username: '201', password: 's3cret-pass', bindHost: '127.0.0.1', expires: 60 },
      () => undefined,
    );
    agents.push(agent);
    await agent.start();
    const { code, output } = await registrar.exited;
    expect(code, output).toBe(0);
    expect(agent.registrations).toBe(2);
    expect(agent.state).toBe('registered');
  });

  it('reports a refused password as a failed registration', async () => {
    const port = await freeUdpPort();
    const registrar = runSipp('registrar.xml', ['-p', String(port), '-set', 'password', 'the-real-one']);
    await new Promise((r) => setTimeout(r, 300));
    const states: string[] = [];
    const agent = new SipUserAgent(
      { registrar: `127.0.0.1:${port}`, username: '201', password: 'wrong', bindHost: '127.0.0.1' },
      () => undefined,
      (state) => states.push(state),
    );
    agents.push(agent);
    await agent.start();
    const { code } = await registrar.exited;
    expect(code).not.toBe(0);
    expect(states).toContain('failed');
    expect(agent.registrations).toBe(0);
  });

  // The back-off delays themselves are the pure rule in sip-registration.test.ts.
  it('keeps retrying, failure after failure, when the registrar does not answer', async () => {
    const states: { state: string }[] = [];
    const agent = new SipUserAgent(
      {
        registrar: `127.0.0.1:${await freeUdpPort()}`,
        username: '201',
        password: 'x',
        bindHost: '127.0.0.1',
        answerTimeoutMs: 100,
      },
      () => undefined,
      (state) => states.push({ state }),
    );
    agents.push(agent);
    await agent.start();
    await eventually(
      () => states.filter((s) => s.state === 'failed').length >= 3,
      'three failed registrations',
      20_000,
    );
    expect(agent.registrations).toBe(0);
  });

  it('rings without answering and ends the ring on CANCEL', async () => {
    const registrarPort = await freeUdpPort();
    const events: SipCallEvent[] = [];
    const agent = new SipUserAgent(
      { registrar: `127.0.0.1:${registrarPort}`, username: '201', password: 'x', bindHost: '127.0.0.1' },
      (e) => {
        events.push(e);
      },
    );
    agents.push(agent);
    await agent.start();
    const caller = runSipp('caller.xml', [
      `127.0.0.1:${agent.localPort}`,
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
    const { code, output } = await caller.exited;
    expect(code, output).toBe(0);
    expect(events.map((e) => e.kind)).toEqual(['ringing', 'missed']);
    expect(events[0]?.from).toMatchObject({ e164: '+819011112222', display: '090-1111-2222' });
    expect(events[0]?.to).toMatchObject({ e164: '+81312345678' });
    expect(events[0]?.callId).toBe(events[1]?.callId);
  });

  it('reads anonymous as withheld and a CANCEL for an answer elsewhere as answered', async () => {
    const events: SipCallEvent[] = [];
    const agent = new SipUserAgent(
      { registrar: `127.0.0.1:${await freeUdpPort()}`, username: '201', password: 'x', bindHost: '127.0.0.1' },
      (e) => {
        events.push(e);
      },
    );
    agents.push(agent);
    await agent.start();
    const caller = runSipp('caller.xml', [
      `127.0.0.1:${agent.localPort}`,
      '-p',
      String(await freeUdpPort()),
      '-s',
      '0312345678',
      '-set',
      'pai',
      'sip:anonymous@anonymous.invalid',
      '-set',
      'reason',
      'SIP;cause=200;text="Call completed elsewhere"',
    ]);
    const { code, output } = await caller.exited;
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
