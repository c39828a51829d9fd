import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { CallEventKind, PhoneNumber } from '@thankstar/contracts';
import { calledOfInvite, callerOfInvite } from './sip-caller';
import { digestAuthorization } from './sip-digest';
import {
  header,
  paramOf,
  parseSipMessage,
  type SipRequest,
  type SipResponse,
  writeRequest,
  writeResponse,
} from './sip-message';
import { reRegisterAfterMs, retryAfterFailureMs } from './sip-registration';

export interface SipAccount {
  /** host:port of the PBX or office router (default port 5060). */
  registrar: string;
  username: string;
  password: string;
  /** Address to bind and to advertise in Contact (default 0.0.0.0 / the registrar-facing 127.0.0.1). */
  bindHost?: string;
  bindPort?: number;
  advertiseHost?: string;
  /** Requested binding lifetime in seconds. */
  expires?: number;
  /** How long to wait for the registrar's final answer before counting a failure. */
  answerTimeoutMs?: number;
}

export interface SipCallEvent {
  callId: string;
  kind: CallEventKind;
  from: PhoneNumber;
  to: PhoneNumber;
  at: Date;
}

export type RegistrationState = 'idle' | 'registering' | 'registered' | 'failed' | 'stopped';

interface PendingRegister {
  cseq: number;
  authorized: boolean;
}

const token = () => randomBytes(6).toString('hex');

/**
 * A listening extension on the tenant's PBX: it registers (digest auth, renewed before expiry,
 * exponential back-off on failure), answers each INVITE with 100 Trying and 180 Ringing and
 * never picks up. CANCEL ends the ring: "answered elsewhere" when the PBX says another
 * extension took it (Reason: SIP;cause=200), else missed.
 */
export class SipUserAgent {
  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly callId = `${token()}@thankstar`;
  private readonly fromTag = token();
  private cseq = 0;
  private pending: PendingRegister | undefined;
  private failures = 0;
  private readonly ringing = new Map<string, { invite: SipRequest; toTag: string }>();
  state: RegistrationState = 'idle';
  registrations = 0;

  constructor(
    private readonly account: SipAccount,
    private readonly onCall: (event: SipCallEvent) => void | Promise<void>,
    private readonly onState: (state: RegistrationState, detail?: string) => void = () => undefined,
  ) {}

  get localPort(): number {
    const address = this.socket?.address();
    return address ? address.port : 0;
  }

  private get registrar(): { host: string; port: number } {
    const [host, port] = this.account.registrar.split(':');
    return { host: host ?? '127.0.0.1', port: Number(port ?? 5060) };
  }

  async start(): Promise<void> {
    const socket = createSocket('udp4');
    socket.on('message', (data, remote) => this.receive(data, remote));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) =>
      socket.bind(this.account.bindPort ?? 0, this.account.bindHost ?? '0.0.0.0', resolve),
    );
    this.socket = socket;
    this.register(false);
  }

  async stop(): Promise<void> {
    this.setState('stopped');
    if (this.timer) clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private setState(state: RegistrationState, detail?: string): void {
    this.state = state;
    this.onState(state, detail);
  }

  private schedule(ms: number, action: () => void = () => this.register(false)): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(action, ms);
  }

  private send(text: string, host: string, port: number): void {
    this.socket?.send(text, port, host);
  }

  private register(
    authorized: boolean,
    challenge?: { header: string; name: 'authorization' | 'proxy-authorization' },
  ): void {
    if (!this.socket || this.state === 'stopped') return;
    const { host, port } = this.registrar;
    const contactHost = this.account.advertiseHost ?? '127.0.0.1';
    const uri = `sip:${host}:${port}`;
    this.cseq += 1;
    this.pending = { cseq: this.cseq, authorized };
    const headers: [string, string][] = [
      ['via', `SIP/2.0/UDP ${contactHost}:${this.localPort};branch=z9hG4bK${token()};rport`],
      ['max-forwards', '70'],
      ['from', `<sip:${this.account.username}@${host}>;tag=${this.fromTag}`],
      ['to', `<sip:${this.account.username}@${host}>`],
      ['call-id', this.callId],
      ['cseq', `${this.cseq} REGISTER`],
      ['contact', `<sip:${this.account.username}@${contactHost}:${this.localPort};transport=udp>`],
      ['expires', String(this.account.expires ?? 300)],
      ['user-agent', 'Thankstar listener'],
    ];
    if (challenge) {
      headers.push([
        challenge.name,
        digestAuthorization({
          challenge: challenge.header,
          method: 'REGISTER',
          uri,
          username: this.account.username,
          password: this.account.password,
        }),
      ]);
    }
    if (this.state !== 'registered') this.setState('registering');
    this.send(writeRequest('REGISTER', uri, headers), host, port);
    // No answer at all counts as a failure too, and backs off like one.
    this.schedule(this.account.answerTimeoutMs ?? 4000, () => this.fail('no answer from the registrar'));
  }

  private fail(detail: string): void {
    this.failures += 1;
    this.pending = undefined;
    this.setState('failed', detail);
    this.schedule(retryAfterFailureMs(this.failures));
  }

  private receive(data: Buffer, remote: { address: string; port: number }): void {
    let message: ReturnType<typeof parseSipMessage>;
    try {
      message = parseSipMessage(data);
    } catch {
      return; // Not SIP: UDP noise is dropped, never answered.
    }
    if (message.kind === 'response') this.onResponse(message);
    else this.onRequest(message, remote);
  }

  private onResponse(response: SipResponse): void {
    const cseq = header(response, 'cseq') ?? '';
    const [number, method] = cseq.split(/\s+/);
    if (method !== 'REGISTER' || Number(number) !== this.pending?.cseq) return;
    if (response.status < 200) return;
    const pending = this.pending;
    if (response.status === 401 || response.status === 407) {
      const name = response.status === 401 ? 'www-authenticate' : 'proxy-authenticate';
      const challenge = header(response, name);
      if (!challenge || pending.authorized) this.fail(`registrar refused the credentials (${response.status})`);
      else
        this.register(true, {
          header: challenge,
          name: response.status === 401 ? 'authorization' : 'proxy-authorization',
        });
      return;
    }
    if (response.status >= 300) {
      this.fail(`registrar answered ${response.status} ${response.reason}`);
      return;
    }
    this.pending = undefined;
    this.failures = 0;
    this.registrations += 1;
    const contact = header(response, 'contact');
    const granted = Number(
      (contact && paramOf(contact, 'expires')) ?? header(response, 'expires') ?? this.account.expires ?? 300,
    );
    this.setState('registered');
    this.schedule(reRegisterAfterMs(Number.isFinite(granted) ? granted : 300));
  }

  private onRequest(request: SipRequest, remote: { address: string; port: number }): void {
    const reply = (text: string) => this.send(text, remote.address, remote.port);
    const callId = header(request, 'call-id') ?? '';
    switch (request.method) {
      case 'INVITE': {
        const known = this.ringing.get(callId);
        const toTag = known?.toTag ?? token();
        reply(writeResponse(request, 100, 'Trying'));
        reply(writeResponse(request, 180, 'Ringing', { toTag }));
        if (known) return; // A retransmitted INVITE: answered again, reported once.
        this.ringing.set(callId, { invite: request, toTag });
        void this.onCall({
          callId,
          kind: 'ringing',
          from: callerOfInvite(request),
          to: calledOfInvite(request),
          at: new Date(),
        });
        return;
      }
      case 'CANCEL': {
        reply(writeResponse(request, 200, 'OK'));
        const call = this.ringing.get(callId);
        if (!call) return;
        this.ringing.delete(callId);
        reply(writeResponse(call.invite, 487, 'Request Terminated', { toTag: call.toTag }));
        const reason = header(request, 'reason') ?? '';
        const elsewhere = /cause=200\b/.test(reason);
        void this.onCall({
          callId,
          kind: elsewhere ? 'answered' : 'missed',
          from: callerOfInvite(call.invite),
          to: calledOfInvite(call.invite),
          at: new Date(),
        });
        return;
      }
      case 'ACK':
        return;
      case 'OPTIONS':
        reply(writeResponse(request, 200, 'OK'));
        return;
      default:
        reply(writeResponse(request, 501, 'Not Implemented'));
    }
  }
}
