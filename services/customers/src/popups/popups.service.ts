import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type CallEvent, POPUPS_TOPIC, type PopupPayload } from '@thankstar/contracts';
import { DomainError, enqueueEvent, outboxRowOf, parseTraceparent, withLogContext } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { CONFIG, type CustomersConfig } from '../config';
import type { Customer } from '../customers/customer';
import { phoneKeys } from '../customers/phone-keys';
import { toPopupCustomer } from '../customers/popup-customer';
import { InteractionsRepository } from '../interactions/interactions.repository';
import { cardsWithin, type LookupCard } from '../lookup/card';
import { LookupRepository } from '../lookup/lookup.repository';
import type { RingCards } from '../lookup/lookup.service';
import { callerHasNumber, classifyCall } from './classify';
import { fitPopup } from './fit';
import { withCallFacts } from './live-popup';
import { toPopupFollowUp, toPopupInteraction } from './popup-history';
import { PopupsRepository } from './popups.repository';

const CANDIDATES = 5;
const HISTORY = 5;
const PENDING_MAX = 50;
/** Lookup cards take at most this share of a popup's byte budget (the rest is the popup itself). */
const CARDS_SHARE = 4;
/** The dedup name of the call-event consumer (processed_events.consumer), kept from the per-message days. */
export const POPUPS_CONSUMER = 'customers.popups';

/**
 * Turns a ringing call into its popup, stored ONCE as it was when the call rang; whenever a popup
 * is read or sent again, the call's live facts (who handles it, notes, outcome, transfer, a profile
 * corrected during the call) are joined in from its interaction (live-popup.ts).
 */
@Injectable()
export class PopupsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly interactions: InteractionsRepository,
    private readonly popups: PopupsRepository,
    private readonly lookups: LookupRepository,
    @Inject(CONFIG) private readonly config: Pick<CustomersConfig, 'CUSTOMERS_POPUP_MAX_BYTES'>,
  ) {}

  /**
   * A fetched batch of call events (one partition, in order) in ONE transaction: the dedup rows of
   * every event, then each event not handled before, in order (a ring before its transfer). Popups,
   * interactions and outbox events commit together with the dedup rows, so a batch redelivered
   * after a crash changes nothing. A statement failing for good rolls the batch back; the consumer
   * then handles its events one at a time (libs/platform startBatchEventConsumer), so only the
   * poison event goes to the dead-letter topic. Returns whether outbox rows may have been written
   * (the caller then has the relay publish at once).
   */
  async onCallEvents(events: CallEvent[], cards: Map<string, RingCards> = new Map()): Promise<boolean> {
    // Only rings and transfers write; the other events are still marked processed, as before.
    return this.dataSource.transaction(async (m) => {
      const fresh = await this.popups.claimEvents(
        m,
        POPUPS_CONSUMER,
        events.map((e) => e.id),
      );
      let wrote = false;
      for (const event of events) {
        // A duplicate inside the batch is handled once, as its first copy.
        if (!fresh.delete(event.id.toLowerCase())) continue;
        // What is logged or enqueued for this event carries its tenant, call and trace.
        wrote =
          (await withLogContext(
            {
              tenantId: event.tenantId,
              eventId: event.id,
              callId: event.payload.callId,
              traceparent: event.traceparent,
              traceId: parseTraceparent(event.traceparent)?.traceId,
            },
            () => this.onCallEvent(event, m, cards.get(`${event.tenantId}:${event.payload.callId}`)?.onTime),
          )) || wrote;
      }
      return wrote;
    });
  }

  /**
   * Runs inside the consumer's transaction (with the dedup row): popup, interaction and outbox
   * event commit together. Returns whether it wrote to the outbox.
   */
  async onCallEvent(event: CallEvent, m: EntityManager, cards?: LookupCard[]): Promise<boolean> {
    if (event.payload.event === 'ringing') {
      await this.popUp(event, m, cards);
      return true;
    }
    if (event.payload.event === 'transferred') return this.resendOnTransfer(event, m);
    return false;
  }

  private async popUp(event: CallEvent, m: EntityManager, cards?: LookupCard[]): Promise<void> {
    const tenantId = event.tenantId;
    const call = event.payload;
    const assembled = await this.assemble(m, tenantId, call);
    // Cards only for a tenant whose lookup sources were asked (Integration plan): what answered in budget.
    if (cards) assembled.cards = this.boundedCards(cards);
    // Built to fit its byte budget: a popup the broker refused would stop the outbox for everyone.
    const payload = fitPopup(assembled, this.config.CUSTOMERS_POPUP_MAX_BYTES);
    // Popup, call interaction, outbox event and last contact in one statement; the unique
    // (tenant, call) key makes a second ring of the same call (retries, several lines) a no-op.
    await this.popups.record(
      m,
      tenantId,
      payload,
      {
        interactionId: payload.interactionId as string,
        customerId: payload.customer?.id ?? null,
        summary: call.lineLabel ? `着信 (${call.lineLabel})` : '着信',
      },
      outboxRowOf({
        topic: POPUPS_TOPIC,
        key: `${tenantId}:${call.callId}`,
        tenantId,
        payload,
        ...(event.traceparent ? { traceparent: event.traceparent } : {}),
      }),
    );
  }

  /**
   * A transferred call keeps its popup and the notes written so far: the transfer is recorded on
   * the call's interaction and the same popup goes out again with the call's live facts.
   */
  private async resendOnTransfer(event: CallEvent, m: EntityManager): Promise<boolean> {
    const tenantId = event.tenantId;
    const callId = event.payload.callId;
    const stored = await this.popups.findByCall(m, tenantId, callId);
    if (!stored) return false;
    // Locks the call's interaction row: a note saved at the same moment goes out before or after, whole.
    await this.interactions.markTransferred(m, tenantId, callId, event.payload.at);
    const facts = (await this.interactions.callFacts(m, tenantId, [callId])).get(callId);
    const late = (await this.lookups.cardsOf(m, tenantId, [callId])).get(callId);
    const payload = fitPopup(
      { ...withCallFacts(stored, facts), transferredAt: event.payload.at, ...(late ? { cards: late } : {}) },
      this.config.CUSTOMERS_POPUP_MAX_BYTES,
    );
    await enqueueEvent(m, { topic: POPUPS_TOPIC, key: `${tenantId}:${callId}`, tenantId, payload });
    return true;
  }

  /**
   * A lookup source answered after the popup went out (issue 19: "an update follows if the source
   * answers late"): every card of the call is kept (popup_cards; the popup itself stays as it rang)
   * and the popup is sent again with them and the call's live facts, as on a transfer. Returns
   * whether a popup was enqueued (nothing new, or no popup stored for the call: nothing sent).
   */
  async sendLateCards(tenantId: string, callId: string, cards: LookupCard[]): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const stored = await this.popups.findByCall(m, tenantId, callId);
      if (!stored) return false;
      const all = this.boundedCards(cards);
      if (JSON.stringify(all) === JSON.stringify(stored.cards ?? [])) return false;
      await this.lookups.saveLateCards(m, tenantId, callId, all);
      const facts = (await this.interactions.callFacts(m, tenantId, [callId])).get(callId);
      const payload = fitPopup({ ...withCallFacts(stored, facts), cards: all }, this.config.CUSTOMERS_POPUP_MAX_BYTES);
      await enqueueEvent(m, { topic: POPUPS_TOPIC, key: `${tenantId}:${callId}`, tenantId, payload });
      return true;
    });
  }

  private boundedCards(cards: LookupCard[]): LookupCard[] {
    return cardsWithin(cards, Math.floor(this.config.CUSTOMERS_POPUP_MAX_BYTES / CARDS_SHARE));
  }

  /** Classifies the caller and gathers what the operators see. */
  async assemble(m: EntityManager, tenantId: string, call: CallEvent['payload']): Promise<PopupPayload> {
    const keys = callerHasNumber(call.from)
      ? phoneKeys(call.from.e164 ?? call.from.raw)
      : { e164: null, nationalDigits: null };
    // One statement: list entries, matches and (for one match) the history come back together.
    const found = await this.popups.lookup(m, tenantId, keys, { matches: CANDIDATES + 1, history: HISTORY });
    const { class: cls, notesAllowed } = classifyCall({
      caller: call.from,
      nuisance: found.nuisance !== null,
      employee: found.employee !== null,
      customerMatches: found.matches.length,
    });
    const base: PopupPayload = {
      popupId: randomUUID(),
      callId: call.callId,
      class: cls,
      caller: call.from,
      lineLabel: call.lineLabel ?? null,
      rangAt: call.at,
      customer: null,
      candidates: [],
      purchases: [],
      purchaseTotals: null,
      interactions: [],
      notesAllowed,
      interactionId: randomUUID(),
      nuisanceReason: cls === 'NUISANCE' ? (found.nuisance?.note ?? null) : null,
      employeeLabel: cls === 'EMPLOYEE' ? (found.employee?.note ?? null) : null,
      followUps: [],
      handledBy: [],
      notes: null,
      outcome: null,
      transferredAt: null,
    };
    if (cls === 'CUSTOMER' && found.history) {
      const h = found.history;
      return {
        ...base,
        customer: toPopupCustomer(
          found.matches[0] as Customer,
          found.phones,
          found.definitions,
          h.totals.lastPurchaseOn,
        ),
        purchases: h.purchases.map((p) => ({
          id: p.id,
          purchasedOn: p.purchasedOn,
          item: p.item,
          quantity: p.quantity,
          amountYen: p.amountYen,
          channel: p.channel,
        })),
        purchaseTotals: { count: h.totals.count, lifetimeValueYen: h.totals.lifetimeValueYen },
        interactions: h.recent.map(toPopupInteraction),
        followUps: h.followUps.map(toPopupFollowUp),
      };
    }
    if (cls === 'MULTIPLE_MATCHES') {
      const candidates = found.matches.slice(0, CANDIDATES);
      // The lookup reads one match more than it lists; only then is the exact count worth a query.
      const total =
        found.matches.length > CANDIDATES ? await this.popups.countMatches(m, tenantId, keys) : candidates.length;
      return {
        ...base,
        candidates: candidates.map((c) => toPopupCustomer(c, found.phones, found.definitions, null)),
        moreCandidates: Math.max(total - candidates.length, 0),
      };
    }
    return base;
  }

  /** The call's popup as the operators see it now (a reconnecting client reads this). */
  async popup(tenantId: string, callId: string): Promise<PopupPayload | null> {
    const stored = await this.popups.findByCall(this.dataSource.manager, tenantId, callId);
    return stored ? ((await this.withLiveFacts(tenantId, [stored]))[0] ?? null) : null;
  }

  async pending(tenantId: string, since: string): Promise<PopupPayload[]> {
    const at = new Date(since);
    if (Number.isNaN(at.getTime())) throw new DomainError('INVALID_SINCE');
    return this.withLiveFacts(
      tenantId,
      await this.popups.rangSince(this.dataSource.manager, tenantId, at, PENDING_MAX),
    );
  }

  /** Stored popups joined with their calls' live facts, each kept to the byte budget. */
  private async withLiveFacts(tenantId: string, stored: PopupPayload[]): Promise<PopupPayload[]> {
    const callIds = stored.map((p) => p.callId);
    const facts = await this.interactions.callFacts(this.dataSource.manager, tenantId, callIds);
    const late = await this.lookups.cardsOf(this.dataSource.manager, tenantId, callIds);
    return stored.map((p) => {
      const cards = late.get(p.callId);
      const live = withCallFacts(p, facts.get(p.callId));
      return fitPopup(cards ? { ...live, cards } : live, this.config.CUSTOMERS_POPUP_MAX_BYTES);
    });
  }
}
