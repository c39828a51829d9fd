import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type CallEvent, POPUPS_TOPIC, type PopupPayload } from '@thankstar/contracts';
import { DomainError, enqueueEvent, outboxRowOf } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import type { Customer } from '../customers/customer';
import { phoneKeys } from '../customers/phone-keys';
import { InteractionsRepository } from '../interactions/interactions.repository';
import { callerHasNumber, classifyCall } from './classify';
import { fitPopup, popupBudget } from './fit';
import { toPopupCustomer, toPopupFollowUp, toPopupInteraction } from './popup-customer';
import { PopupsRepository } from './popups.repository';

const CANDIDATES = 5;
const HISTORY = 5;
const PENDING_MAX = 50;

@Injectable()
export class PopupsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly interactions: InteractionsRepository,
    private readonly popups: PopupsRepository,
  ) {}

  /** Runs inside the consumer's transaction (with the dedup row): popup, interaction and outbox event commit together. */
  async onCallEvent(event: CallEvent, m: EntityManager): Promise<void> {
    if (event.payload.event === 'ringing') await this.popUp(event, m);
    else if (event.payload.event === 'transferred') await this.resendOnTransfer(event, m);
  }

  private async popUp(event: CallEvent, m: EntityManager): Promise<void> {
    const tenantId = event.tenantId;
    const call = event.payload;
    // Built to fit its byte budget: a popup the broker refused would stop the outbox for everyone.
    const payload = fitPopup(await this.assemble(m, tenantId, call), popupBudget());
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

  /** A transferred call keeps its popup and the notes written so far: the same popup goes out again, refreshed. */
  private async resendOnTransfer(event: CallEvent, m: EntityManager): Promise<void> {
    const tenantId = event.tenantId;
    const stored = await this.popups.findByCall(m, tenantId, event.payload.callId, true);
    if (!stored) return;
    const interaction = stored.interactionId
      ? await this.interactions.findById(m, tenantId, stored.interactionId)
      : null;
    const payload: PopupPayload = fitPopup(
      {
        ...stored,
        handledBy: interaction?.handledBy ?? stored.handledBy ?? [],
        notes: interaction?.notes ?? null,
        outcome: interaction?.outcome ?? null,
        transferredAt: event.payload.at,
      },
      popupBudget(),
    );
    await this.popups.replacePayload(m, tenantId, payload);
    await enqueueEvent(m, { topic: POPUPS_TOPIC, key: `${tenantId}:${payload.callId}`, tenantId, payload });
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

  async popup(tenantId: string, callId: string): Promise<PopupPayload | null> {
    return this.popups.findByCall(this.dataSource.manager, tenantId, callId);
  }

  async pending(tenantId: string, since: string): Promise<PopupPayload[]> {
    const at = new Date(since);
    if (Number.isNaN(at.getTime())) throw new DomainError('INVALID_SINCE');
    return this.popups.rangSince(this.dataSource.manager, tenantId, at, PENDING_MAX);
  }
}
