import { type LookupAddress, lookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { CallsService } from '../calls/calls.service';
import { CONFIG, type TelephonyConfig } from '../config';
import { secretBox } from '../keys/secret-box';
import { parseAllowedCidrs, registrarAddressVerdict } from './registrar-address';
import { type SipAccount, SipRepository } from './sip.repository';
import { type RegistrationState, type SipCallEvent, SipUserAgent } from './sip-user-agent';

const addressNotAllowed = (address: string) => new DomainError('REGISTRAR_ADDRESS_NOT_ALLOWED', { address });

/**
 * Resolves a registrar's host name and refuses the connection when any address it resolves to
 * is not allowed. Used by the UDP socket and the TCP connection at each send/connect, so a name
 * that resolved to a public address when it was configured and to 127.0.0.1 later (DNS
 * rebinding) is refused then too.
 */
const guardedLookup =
  (isAllowed: (address: string) => boolean): LookupFunction =>
  (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find((a) => !isAllowed(a.address));
      if (refused || addresses.length === 0) {
        const denied: NodeJS.ErrnoException = new Error(
          `registrar address ${refused?.address ?? '(none)'} is not allowed`,
        );
        denied.code = 'EADDRNOTALLOWED';
        return callback(denied, '', 0);
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses as [LookupAddress];
      return callback(null, first.address, first.family);
    });
  };

export interface SipSettingsInput {
  registrar: string;
  username: string;
  password: string;
  transport: 'udp' | 'tcp';
}

export interface SipSettingsView {
  registrar: string;
  username: string;
  transport: 'udp' | 'tcp';
  enabled: boolean;
  registrationState: RegistrationState | null;
}

/**
 * Runs one listening extension per tenant with SIP settings. Only where SIP_LISTENER=on: with
 * several replicas, exactly one should register, or the PBX would ring each of them.
 */
@Injectable()
export class SipListenerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SipListener');
  private readonly agents = new Map<string, SipUserAgent>();
  /** The listening port of each tenant's agent, from SIP_BIND_PORT's range (none when it is 0). */
  private readonly ports = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: SipRepository,
    private readonly calls: CallsService,
    @Inject(CONFIG) private readonly config: TelephonyConfig,
  ) {}

  /** SIP_LISTENER, read at each use (a test switches it on the running app's configuration). */
  private get enabled(): boolean {
    return this.config.SIP_LISTENER;
  }

  /** Whether the listener may send to an address: public unicast or in SIP_ALLOWED_CONTACT_CIDRS (read at each use). */
  private readonly isAllowed = (address: string): boolean =>
    registrarAddressVerdict(address, parseAllowedCidrs(this.config.SIP_ALLOWED_CONTACT_CIDRS)).allowed;

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    const accounts = await this.accounts.enabledAccounts(this.dataSource.manager);
    for (const account of accounts) await this.startAgent(account);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.stop()));
    this.agents.clear();
  }

  agentFor(tenantId: string): SipUserAgent | undefined {
    return this.agents.get(tenantId);
  }

  async settings(tenantId: string): Promise<SipSettingsView | null> {
    const row = await this.accounts.account(this.dataSource.manager, tenantId);
    if (!row) return null;
    return {
      registrar: row.registrar,
      username: row.username,
      transport: row.transport,
      enabled: row.enabled,
      registrationState: this.agents.get(tenantId)?.state ?? null,
    };
  }

  /** Stores the tenant's SIP settings (password sealed) and (re)starts its listener. */
  async configure(tenantId: string, input: SipSettingsInput): Promise<SipSettingsView> {
    if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(input.registrar)) {
      throw new DomainError('INVALID_REGISTRAR', {
        reason: {
          ja: 'レジストラはホスト名か IP アドレスです（:ポート番号を付けられます）。',
          en: 'The registrar is a host name or IP address, optionally with :port.',
        },
      });
    }
    if (!/^[^\s@:;]{1,64}$/.test(input.username)) throw new DomainError('INVALID_SIP_USER');
    if (input.password.length < 1 || input.password.length > 128) throw new DomainError('INVALID_SIP_PASSWORD');
    if (input.transport !== 'udp' && input.transport !== 'tcp') throw new DomainError('UNSUPPORTED_TRANSPORT');
    await this.checkRegistrarAddress(input.registrar);
    const account = await this.accounts.save(this.dataSource.manager, tenantId, {
      registrar: input.registrar,
      username: input.username,
      passwordSealed: secretBox.seal(input.password),
      transport: input.transport,
    });
    if (this.enabled) await this.startAgent(account);
    return (await this.settings(tenantId)) as SipSettingsView;
  }

  /**
   * Refuses a registrar on an address the listener must not send to (registrar-address.ts): an
   * IP literal is judged as is, a host name by every address it resolves to now (and again at
   * each connection, guardedLookup). A name that does not resolve yet is accepted: the
   * connection-time check covers it.
   */
  private async checkRegistrarAddress(registrar: string): Promise<void> {
    const [host = '', portText] = registrar.split(':');
    const port = portText === undefined ? 5060 : Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      throw new DomainError('INVALID_REGISTRAR', {
        reason: { ja: 'レジストラのポート番号は 1〜65535 です。', en: 'The registrar port is 1 to 65535.' },
      });
    if (isIP(host)) {
      if (!this.isAllowed(host)) throw addressNotAllowed(host);
      return;
    }
    const addresses = await new Promise<LookupAddress[]>((resolve) =>
      lookup(host, { all: true }, (error, found) => resolve(error ? [] : found)),
    );
    const refused = addresses.find((a) => !this.isAllowed(a.address));
    if (refused) throw addressNotAllowed(`${host} (${refused.address})`);
  }

  private async startAgent(row: SipAccount): Promise<void> {
    await this.agents.get(row.tenantId)?.stop();
    this.agents.delete(row.tenantId);
    const bindPort = this.portFor(row.tenantId);
    if (bindPort === null) {
      this.logger.error(
        `SIP tenant ${row.tenantId} not registered: all ${this.config.SIP_BIND_PORTS} ports from ${this.config.SIP_BIND_PORT} are taken (raise SIP_BIND_PORTS and the Service's ports)`,
      );
      return;
    }
    // Settings stored before the address rule existed, or an allow list narrowed since.
    const host = row.registrar.split(':')[0] ?? '';
    if (isIP(host) && !this.isAllowed(host)) {
      this.logger.warn(`SIP registrar of tenant ${row.tenantId} is on a refused address; not registering`);
      return;
    }
    const agent = new SipUserAgent(
      {
        registrar: row.registrar,
        username: row.username,
        password: secretBox.open(row.passwordSealed),
        transport: row.transport,
        bindHost: this.config.SIP_BIND_HOST,
        ...(bindPort === undefined ? {} : { bindPort }),
        advertiseHost: this.config.SIP_ADVERTISE_HOST,
        lookup: guardedLookup(this.isAllowed),
      },
      (event) => this.record(row.tenantId, event),
      (state, detail) => {
        if (state === 'failed') this.logger.warn(`SIP registration failed for tenant ${row.tenantId}: ${detail}`);
      },
    );
    this.agents.set(row.tenantId, agent);
    await agent.start();
  }

  /**
   * The port a tenant's agent listens on: its own from the configured range, kept while it runs
   * (a PBX keeps sending to the Contact it registered), the lowest free one for a new tenant;
   * undefined for any free port (SIP_BIND_PORT 0); null when the range is full.
   */
  private portFor(tenantId: string): number | undefined | null {
    const base = this.config.SIP_BIND_PORT;
    if (base === 0) return undefined;
    const own = this.ports.get(tenantId);
    if (own !== undefined) return own;
    const taken = new Set(this.ports.values());
    for (let port = base; port < base + this.config.SIP_BIND_PORTS && port <= 65_535; port++) {
      if (!taken.has(port)) {
        this.ports.set(tenantId, port);
        return port;
      }
    }
    return null;
  }

  private async record(tenantId: string, event: SipCallEvent): Promise<void> {
    try {
      await this.calls.record(tenantId, 'sip', {
        callId: event.callId,
        kind: event.kind,
        from: event.from,
        to: event.to,
        occurredAt: event.at,
        extension: null,
        operatorId: null,
      });
    } catch (error) {
      this.logger.error(`could not record SIP call ${event.callId}: ${String(error)}`);
    }
  }
}
