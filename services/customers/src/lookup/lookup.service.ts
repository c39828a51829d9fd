import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { isUuid, renderErrorMessage } from '@thankstar/contracts';
import { normalizePhoneNumber } from '@thankstar/phone';
import { DomainError, SecretSealer } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { CONFIG, type CustomersConfig } from '../config';
import { parseCidrs, urlGuard } from './address-guard';
import { CircuitBreaker } from './breaker';
import { TtlCache } from './cache';
import { boundCards, type LookupCard } from './card';
import {
  type Connector,
  type ConnectorContext,
  LookupFailure,
  type LookupQuery,
  type NoteWrite,
  type SourceSettings,
} from './connectors/connector';
import { FileMakerConnector } from './connectors/filemaker';
import { HttpsConnector } from './connectors/https';
import { KintoneConnector } from './connectors/kintone';
import { newSigningSecret } from './connectors/signing';
import { INTEGRATION_PLAN_CODE, LookupRepository, type LookupSourceRow, type SourceKind } from './lookup.repository';
import { validateSourceInput } from './source-input';

/** Lookup sources' secrets (API tokens, passwords, signing secrets), sealed at rest with the platform's sealer. */
export const lookupSecretSealer = new SecretSealer({
  keyVariable: 'CUSTOMERS_SECRET_KEY',
  previousKeyVariable: 'CUSTOMERS_SECRET_KEY_PREVIOUS',
  developmentKey: 'thankstar-customers-development-secret-key',
});

/** A ringing call to look up. */
export interface RingQuery {
  tenantId: string;
  callId: string;
  e164: string | null;
  line: string | null;
}

/** What the ring got within its budget, and (when a source was late) every card once all answered. */
export interface RingCards {
  onTime: LookupCard[];
  late: Promise<LookupCard[]> | null;
}

export interface SourceInput {
  name: string;
  kind: SourceKind;
  enabled?: boolean | null;
  budgetMs?: number | null;
  settings: SourceSettings;
  secret?: string | null;
}

const DEFAULT_BUDGET_MS = 300;
const ERROR_WRITE_EVERY_MS = 5_000;
const sleep = (ms: number) => new Promise<null>((resolve) => setTimeout(() => resolve(null), ms).unref());

/**
 * Lookup sources during the ring (issue 19; docs/product-rules.md §9, the Integration plan): each
 * enabled source of a tenant on an active Integration plan is asked for the caller's E.164 number
 * and line. The popup waits for a source at most its budget (default 300 ms, at most 1 s); what
 * answered by then goes in the popup, a later answer (up to LOOKUP_TIMEOUT_MS) follows as an update.
 * A short cache, a circuit breaker per source, and the last error kept for the tenant's admin.
 */
@Injectable()
export class LookupService {
  private readonly logger = new Logger(LookupService.name);
  private readonly cache: TtlCache<LookupCard[]>;
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly connectors = new Map<string, { version: number; connector: Connector }>();
  private readonly errorWritten = new Map<string, { code: string; at: number }>();
  private readonly checkUrl: (url: string) => Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: LookupRepository,
    @Inject(CONFIG) private readonly config: CustomersConfig,
  ) {
    this.cache = new TtlCache(config.LOOKUP_CACHE_TTL_MS, 10_000);
    this.checkUrl = urlGuard(parseCidrs(config.LOOKUP_ALLOWED_CIDRS));
  }

  // ── The ring ──────────────────────────────────────────────────────────────────────────────

  /**
   * The cards of a batch's ringing calls, waiting at most the largest budget of the sources asked
   * (all calls and sources in parallel). One statement finds the sources; tenants not on the
   * Integration plan, or without sources, cost nothing more.
   */
  async forRings(rings: RingQuery[]): Promise<Map<string, RingCards>> {
    const asked = rings.filter((r) => r.e164);
    const result = new Map<string, RingCards>();
    if (asked.length === 0) return result;
    const sources = await this.repo.activeFor(this.dataSource.manager, [...new Set(asked.map((r) => r.tenantId))]);
    if (sources.length === 0) return result;
    await Promise.all(
      asked.map(async (ring) => {
        const mine = sources.filter((s) => s.tenantId === ring.tenantId);
        if (mine.length === 0) return;
        result.set(
          `${ring.tenantId}:${ring.callId}`,
          await this.withinBudget(mine, { e164: ring.e164 as string, line: ring.line }),
        );
      }),
    );
    return result;
  }

  private async withinBudget(sources: LookupSourceRow[], query: LookupQuery): Promise<RingCards> {
    const answers = sources.map((s) => this.ask(s, query));
    const timed = await Promise.all(
      answers.map((a, i) => Promise.race([a, sleep(sources[i]?.budgetMs ?? DEFAULT_BUDGET_MS)])),
    );
    const onTime = timed.flatMap((t) => t ?? []);
    if (timed.every((t) => t !== null)) return { onTime, late: null };
    return { onTime, late: Promise.all(answers).then((all) => all.flat()) };
  }

  /** One source's cards for a number: cache, breaker, connector; never rejects (a failure is recorded, no cards). */
  private async ask(source: LookupSourceRow, query: LookupQuery): Promise<LookupCard[]> {
    const version = new Date(source.updatedAt).getTime();
    const key = `${source.id}:${version}:${query.e164}:${query.line ?? ''}`;
    const cached = this.cache.get(key, Date.now());
    if (cached) return cached;
    const breaker = this.breakerOf(source.id);
    if (!breaker.allow(Date.now())) return [];
    try {
      const cards = boundCards(source, await this.connectorOf(source).find(query));
      breaker.succeeded();
      this.cache.set(key, cards, Date.now());
      if (this.errorWritten.has(source.id) || !source.lastOkAt) this.noteOk(source);
      return cards;
    } catch (error) {
      const failure = error instanceof LookupFailure ? error : new LookupFailure('LOOKUP_SOURCE_FAILED', String(error));
      if (failure.code === 'LOOKUP_RATE_LIMITED' && failure.retryAfterMs !== undefined)
        breaker.holdFor(Date.now(), failure.retryAfterMs);
      else breaker.failed(Date.now());
      this.noteError(source, failure);
      return [];
    }
  }

  private breakerOf(sourceId: string): CircuitBreaker {
    let breaker = this.breakers.get(sourceId);
    if (!breaker) {
      breaker = new CircuitBreaker({
        failures: this.config.LOOKUP_BREAKER_FAILURES,
        openMs: this.config.LOOKUP_BREAKER_OPEN_MS,
      });
      this.breakers.set(sourceId, breaker);
    }
    return breaker;
  }

  /** The connector of a source as stored now (a changed source gets a new one: a FileMaker session is per account). */
  private connectorOf(source: LookupSourceRow): Connector {
    const version = new Date(source.updatedAt).getTime();
    const known = this.connectors.get(source.id);
    if (known?.version === version) return known.connector;
    const context: ConnectorContext = {
      settings: source.settings,
      secret: lookupSecretSealer.open(source.sealedSecret),
      timeoutMs: this.config.LOOKUP_TIMEOUT_MS,
      checkUrl: this.checkUrl,
    };
    const connector =
      source.kind === 'KINTONE'
        ? new KintoneConnector(context)
        : source.kind === 'FILEMAKER'
          ? new FileMakerConnector(context)
          : new HttpsConnector(context);
    if (known?.connector instanceof FileMakerConnector) void known.connector.close();
    this.connectors.set(source.id, { version, connector });
    return connector;
  }

  /** The admin sees the last error; written off the ring's path, at most every 5 s per source unless the code changes. */
  private noteError(source: LookupSourceRow, failure: LookupFailure): void {
    const last = this.errorWritten.get(source.id);
    const now = Date.now();
    if (last && last.code === failure.code && now - last.at < ERROR_WRITE_EVERY_MS) return;
    this.errorWritten.set(source.id, { code: failure.code, at: now });
    this.logger.warn(`lookup source ${source.id} failed: ${failure.code} ${failure.detail}`);
    this.repo
      .recordError(this.dataSource.manager, source.tenantId, source.id, failure.code, failure.detail)
      .catch((e) => this.logger.warn(`could not record a lookup error: ${String(e)}`));
  }

  private noteOk(source: LookupSourceRow): void {
    this.errorWritten.delete(source.id);
    this.repo
      .recordOk(this.dataSource.manager, source.tenantId, source.id)
      .catch((e) => this.logger.warn(`could not record a lookup success: ${String(e)}`));
  }

  // ── Write-back ────────────────────────────────────────────────────────────────────────────

  /** Writes a call's notes and outcome to each record its popup showed, once per call and record. */
  async writeBack(tenantId: string, callId: string, cards: LookupCard[], note: Omit<NoteWrite, 'recordId'>) {
    const sources = new Map((await this.repo.list(this.dataSource.manager, tenantId)).map((s) => [s.id, s]));
    for (const card of cards) {
      const source = sources.get(card.sourceId);
      if (!source?.enabled || source.settings.notes.mode === 'NONE') continue;
      if (!(await this.repo.claimWriteback(this.dataSource.manager, tenantId, callId, source.id, card.recordId)))
        continue;
      try {
        await this.connectorOf(source).writeNote({ ...note, recordId: card.recordId });
      } catch (error) {
        const failure =
          error instanceof LookupFailure ? error : new LookupFailure('LOOKUP_SOURCE_FAILED', String(error));
        await this.repo.releaseWriteback(this.dataSource.manager, tenantId, callId, source.id, card.recordId);
        this.noteError(source, failure);
      }
    }
  }

  // ── Administration (tenant admin; the tenant from the token) ───────────────────────────────

  async sources(tenantId: string): Promise<LookupSourceView[]> {
    return (await this.repo.list(this.dataSource.manager, tenantId)).map((s) => this.view(s));
  }

  /** Creates a source; an HTTPS source's signing secret is made here and returned once. */
  async create(tenantId: string, input: SourceInput): Promise<{ source: LookupSourceView; secret: string | null }> {
    await this.requireIntegrationPlan(tenantId);
    const valid = validateSourceInput(input, true);
    const generated = input.kind === 'HTTPS' ? newSigningSecret() : null;
    const secret = generated ?? (input.secret as string);
    const row = await this.repo.insert(this.dataSource.manager, tenantId, {
      id: randomUUID(),
      name: valid.name,
      kind: input.kind,
      enabled: input.enabled ?? true,
      budgetMs: valid.budgetMs,
      settings: valid.settings,
      sealedSecret: lookupSecretSealer.seal(secret),
    });
    if (!row) throw new DomainError('LOOKUP_SOURCE_NAME_TAKEN', { name: valid.name });
    return { source: this.view(row), secret: generated };
  }

  async update(tenantId: string, id: string, input: SourceInput): Promise<LookupSourceView> {
    const stored = isUuid(id) ? await this.repo.get(this.dataSource.manager, tenantId, id) : null;
    if (!stored) throw new DomainError('NOT_FOUND', { resource: { ja: '参照先', en: 'The lookup source' } });
    const valid = validateSourceInput({ ...input, kind: stored.kind }, false);
    const secret = stored.kind !== 'HTTPS' && input.secret ? lookupSecretSealer.seal(input.secret) : null;
    const row = await this.repo.update(this.dataSource.manager, tenantId, id, {
      name: valid.name,
      enabled: input.enabled ?? stored.enabled,
      budgetMs: valid.budgetMs,
      settings: valid.settings,
      sealedSecret: secret,
    });
    if (!row) throw new DomainError('NOT_FOUND', { resource: { ja: '参照先', en: 'The lookup source' } });
    this.cache.forget(`${id}:`);
    return this.view(row);
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    const removed = isUuid(id) && (await this.repo.delete(this.dataSource.manager, tenantId, id));
    if (removed) {
      this.cache.forget(`${id}:`);
      this.breakers.delete(id);
      const known = this.connectors.get(id);
      if (known?.connector instanceof FileMakerConnector) void known.connector.close();
      this.connectors.delete(id);
    }
    return removed;
  }

  /** 「番号で試す」: asks the source now (no cache, no breaker) and shows the card that would pop. */
  async tryNumber(tenantId: string, id: string, number: string, line: string | null): Promise<LookupTry> {
    await this.requireIntegrationPlan(tenantId);
    const source = isUuid(id) ? await this.repo.get(this.dataSource.manager, tenantId, id) : null;
    if (!source) throw new DomainError('NOT_FOUND', { resource: { ja: '参照先', en: 'The lookup source' } });
    const parsed = normalizePhoneNumber(number);
    if (!parsed.e164) throw new DomainError('INVALID_PHONE_NUMBER', { number });
    const started = performance.now();
    try {
      const cards = boundCards(source, await this.connectorOf(source).find({ e164: parsed.e164, line }));
      const elapsedMs = Math.round(performance.now() - started);
      this.noteOk(source);
      return { cards, elapsedMs, withinBudget: elapsedMs <= source.budgetMs, error: null };
    } catch (error) {
      const failure = error instanceof LookupFailure ? error : new LookupFailure('LOOKUP_SOURCE_FAILED', String(error));
      this.noteError(source, failure);
      return {
        cards: [],
        elapsedMs: Math.round(performance.now() - started),
        withinBudget: false,
        error: {
          code: failure.code,
          message: renderErrorMessage(failure.code, 'ja') ?? failure.code,
          detail: failure.detail,
        },
      };
    }
  }

  private async requireIntegrationPlan(tenantId: string): Promise<void> {
    const plan = await this.repo.planOf(this.dataSource.manager, tenantId);
    if (plan?.planCode !== INTEGRATION_PLAN_CODE || plan.status !== 'active')
      throw new DomainError('LOOKUP_PLAN_REQUIRED');
  }

  private view(s: LookupSourceRow): LookupSourceView {
    const breaker = this.breakers.get(s.id);
    return {
      id: s.id,
      name: s.name,
      kind: s.kind,
      enabled: s.enabled,
      budgetMs: s.budgetMs,
      ...s.settings,
      notes: s.settings.notes,
      lastOkAt: s.lastOkAt ? new Date(s.lastOkAt).toISOString() : null,
      lastError: s.lastErrorCode
        ? {
            code: s.lastErrorCode,
            message: renderErrorMessage(s.lastErrorCode, 'ja') ?? s.lastErrorCode,
            detail: s.lastErrorDetail,
            at: s.lastErrorAt ? new Date(s.lastErrorAt).toISOString() : null,
          }
        : null,
      circuitOpen: breaker ? breaker.state(Date.now()) === 'open' : false,
      updatedAt: new Date(s.updatedAt).toISOString(),
    };
  }
}

export interface LookupErrorView {
  code: string;
  message: string;
  detail: string | null;
  at?: string | null;
}

export type LookupSourceView = {
  id: string;
  name: string;
  kind: SourceKind;
  enabled: boolean;
  budgetMs: number;
  lastOkAt: string | null;
  lastError: LookupErrorView | null;
  circuitOpen: boolean;
  updatedAt: string;
} & SourceSettings;

export interface LookupTry {
  cards: LookupCard[];
  elapsedMs: number;
  withinBudget: boolean;
  error: LookupErrorView | null;
}
