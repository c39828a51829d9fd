import { randomBytes } from 'node:crypto';
import { createSocket, type Socket, type SocketOptions } from 'node:dgram';
import { connect, createServer, type LookupFunction, type Server, type Socket as TcpSocket } from 'node:net';
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
import { SipStreamFramer } from './sip-stream';

export type SipTransport = 'udp' | 'tcp';

export interface SipAccount {
  /** host:port of the PBX or office router (default port 5060). */
  registrar: string;
  username: string;
  password: string;
  /** udp (default) or tcp (RFC 3261 §18: one persistent connection to the registrar, plus a listening port). */
  transport?: SipTransport;
  /**
   * Address to bind and to advertise in Via and Contact (default 0.0.0.0; advertised: 127.0.0.1
   * over UDP, over TCP the local address of the connection to the registrar).
   */
  bindHost?: string;
  bindPort?: number;
  advertiseHost?: string;
  /** Requested binding lifetime in seconds. */
  expires?: number;
  /** How long to wait for the registrar's final answer before counting a failure. */
  answerTimeoutMs?: number;
  /** Resolves the registrar's host name (the listener's refuses disallowed addresses); default dns.lookup. */
  lookup?: LookupFunction;
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

const MAX_INBOUND_CONNECTIONS = 64;

/** Sends one message back to where a request came from: the UDP address, or the TCP connection. */
type Reply = (text: string) => void;

/**
 * A listening extension on the tenant's PBX: it registers (digest auth, renewed before expiry,
 * exponential back-off on failure), answers each INVITE with 100 Trying and 180 Ringing and
 * never picks up. CANCEL ends the ring: "answered elsewhere" when the PBX says another
 * extension took it (Reason: SIP;cause=200), else missed.
 *
 * Over TCP it keeps one connection to the registrar: REGISTERs go on it, requests the PBX sends
 * on it are answered on it, and when it drops the agent reconnects with the same back-off and
 * registers again. It also listens on a TCP port (the one in Via and Contact) for PBXs that open
 * their own connection to the contact. Every response goes back on the connection its request
 * came in on.
 */
export class SipUserAgent {
  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly callId = `${token()}@thankstar`;
  private readonly fromTag = token();
  private cseq = 0;
  private pending: PendingRegister | undefined;
  private failures = 0;
  private readonly ringing = new Map<string, { invite: SipRequest; toTag: string; reply: Reply }>();
  private server: Server | undefined;
  private connection: TcpSocket | undefined;
  private readonly inbound = new Set<TcpSocket>();
  state: RegistrationState = 'idle';
  registrations = 0;

  constructor(
    private readonly account: SipAccount,
    private readonly onCall: (event: SipCallEvent) => void | Promise<void>,
    private readonly onState: (state: RegistrationState, detail?: string) => void = () => undefined,
  ) {}

  get transport(): SipTransport {
    return this.account.transport ?? 'udp';
  }

  /** The port requests reach us on: the UDP socket's, or the listening TCP port. */
  get localPort(): number {
    const address = this.transport === 'tcp' ? this.server?.address() : this.socket?.address();
    return address && typeof address === 'object' ? address.port : 0;
  }

  /** The host put in Via sent-by and Contact. */
  private get advertisedHost(): string {
    if (this.account.advertiseHost) return this.account.advertiseHost;
    const local = this.transport === 'tcp' ? this.connection?.localAddress : undefined;
    if (local) return local.includes(':') ? `[${local}]` : local;
    return '127.0.0.1';
  }

  private get registrar(): { host: string; port: number } {
    const [host, port] = this.account.registrar.split(':');
    return { host: host ?? '127.0.0.1', port: Number(port ?? 5060) };
  }

  async start(): Promise<void> {
    if (this.transport === 'tcp') return this.startTcp();
    // dgram asks for one address (never options.all), which a LookupFunction answers too.
    const socket = createSocket({ type: 'udp4', lookup: this.account.lookup as SocketOptions['lookup'] });
    socket.on('message', (data, remote) => this.receive(data, (text) => this.send(text, remote.address, remote.port)));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) =>
      socket.bind(this.account.bindPort ?? 0, this.account.bindHost ?? '0.0.0.0', resolve),
    );
    this.socket = socket;
    this.register(false);
  }

  private async startTcp(): Promise<void> {
    const server = createServer((socket) => {
      this.inbound.add(socket);
      socket.on('close', () => this.inbound.delete(socket));
      this.readStream(socket);
    });
    server.on('error', () => undefined);
    // A PBX needs one or a few; this bounds what a misbehaving peer can hold open.
    server.maxConnections = MAX_INBOUND_CONNECTIONS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.account.bindPort ?? 0, this.account.bindHost ?? '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.register(false);
  }

  /** Frames a TCP connection's bytes into messages; a stream that cannot be framed is closed. */
  private readStream(socket: TcpSocket): void {
    const framer = new SipStreamFramer();
    const reply: Reply = (text) => {
      if (!socket.destroyed) socket.write(text);
    };
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      let messages: Buffer[];
      try {
        messages = framer.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const message of messages) this.receive(message, reply);
    });
  }

  /** Opens the connection to the registrar and registers on it once it is up. */
  private connectRegistrar(): void {
    const { host, port } = this.registrar;
    const connection = connect({ host, port, localAddress: this.account.bindHost, lookup: this.account.lookup });
    this.connection = connection;
    let lastError = '';
    connection.setNoDelay(true);
    connection.setKeepAlive(true, 30_000);
    this.readStream(connection);
    connection.on('error', (error) => {
      lastError = error.message;
    });
    connection.once('connect', () => {
      if (this.connection === connection) this.register(false);
    });
    connection.once('close', () => {
      if (this.connection !== connection) return;
      this.connection = undefined;
      if (this.state === 'stopped') return;
      this.fail(`connection to the registrar closed${lastError ? `: ${lastError}` : ''}`);
    });
  }

  async stop(): Promise<void> {
    this.setState('stopped');
    if (this.timer) clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
    const connection = this.connection;
    this.connection = undefined;
    connection?.destroy();
    for (const inbound of this.inbound) inbound.destroy();
    this.inbound.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
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

  /** A REGISTER goes to the registrar: by UDP, or on the connection to it. */
  private sendToRegistrar(text: string): void {
    if (this.transport === 'tcp') this.connection?.write(text);
    else this.send(text, this.registrar.host, this.registrar.port);
  }

  private register(
    authorized: boolean,
    challenge?: { header: string; name: 'authorization' | 'proxy-authorization' },
  ): void {
    if (this.state === 'stopped') return;
    const tcp = this.transport === 'tcp';
    if (tcp ? !this.server : !this.socket) return;
    if (tcp && (!this.connection || this.connection.connecting)) {
      if (!this.connection) this.connectRegistrar();
      // Counted as a failure if the connection is not up in time (and registered once it is).
      this.schedule(this.account.answerTimeoutMs ?? 4000, () => this.connection?.destroy());
      return;
    }
    const { host, port } = this.registrar;
    const contactHost = this.advertisedHost;
    const uri = tcp ? `sip:${host}:${port};transport=tcp` : `sip:${host}:${port}`;
    this.cseq += 1;
    this.pending = { cseq: this.cseq, authorized };
    const headers: [string, string][] = [
      [
        'via',
        tcp
          ? `SIP/2.0/TCP ${contactHost}:${this.localPort};branch=z9hG4bK${token()}`
          : `SIP/2.0/UDP ${contactHost}:${this.localPort};branch=z9hG4bK${token()};rport`,
      ],
      ['max-forwards', '70'],
      ['from', `<sip:${this.account.username}@${host}>;tag=${this.fromTag}`],
      ['to', `<sip:${this.account.username}@${host}>`],
      ['call-id', this.callId],
      ['cseq', `${this.cseq} REGISTER`],
      ['contact', `<sip:${this.account.username}@${contactHost}:${this.localPort};transport=${this.transport}>`],
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
    this.sendToRegistrar(writeRequest('REGISTER', uri, headers));
    // No answer at all counts as a failure too, and backs off like one. Over TCP the connection
    // is dropped and made again: its close counts the failure.
    this.schedule(this.account.answerTimeoutMs ?? 4000, () =>
      tcp ? this.connection?.destroy() : this.fail('no answer from the registrar'),
    );
  }

  private fail(detail: string): void {
    this.failures += 1;
    this.pending = undefined;
    this.setState('failed', detail);
    this.schedule(retryAfterFailureMs(this.failures));
  }

  private receive(data: Buffer, reply: Reply): void {
    let message: ReturnType<typeof parseSipMessage>;
    try {
      message = parseSipMessage(data);
    } catch {
      return; // Not SIP: noise is dropped, never answered.
    }
    if (message.kind === 'response') this.onResponse(message);
    else this.onRequest(message, reply);
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

  private onRequest(request: SipRequest, reply: Reply): void {
    const callId = header(request, 'call-id') ?? '';
    switch (request.method) {
      case 'INVITE': {
        const known = this.ringing.get(callId);
        const toTag = known?.toTag ?? token();
        reply(writeResponse(request, 100, 'Trying'));
        reply(writeResponse(request, 180, 'Ringing', { toTag }));
        if (known) return; // A retransmitted INVITE: answered again, reported once.
        this.ringing.set(callId, { invite: request, toTag, reply });
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
        // The INVITE's final answer goes where the INVITE came from, even if the CANCEL did not.
        call.reply(writeResponse(call.invite, 487, 'Request Terminated', { toTag: call.toTag }));
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
