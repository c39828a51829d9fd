import { Injectable } from '@nestjs/common';
import { INTERACTIONS_TOPIC, type InteractionChangePayload } from '@thankstar/contracts';
import { DomainError, enqueueEvent, notFound, type Principal } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { CustomFieldsRepository } from '../custom-fields/custom-fields.repository';
import { calendarDate } from '../custom-fields/validate';
import type { Customer } from '../customers/customer';
import { CustomersRepository } from '../customers/customers.repository';
import { type CustomerInput, CustomersService } from '../customers/customers.service';
import { checkLength, enforce } from '../customers/limits';
import { toPopupCustomer } from '../customers/popup-customer';
import type { Interaction } from './interaction';
import { applyChanges, changesOf, type InteractionUpdate, noteFields } from './interaction-changes';
import { InteractionsRepository } from './interactions.repository';

export const notesNotAllowed = () => new DomainError('NOTES_NOT_ALLOWED');

/**
 * What operators do during a call. Each change commits with its edit history and a
 * `customers.interactions.v1` event for the others; it is kept on the call's interaction, which
 * the popups feature joins into the stored popup when a reconnecting client reads it.
 */
@Injectable()
export class InteractionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly interactions: InteractionsRepository,
    private readonly customers: CustomersRepository,
    private readonly customersService: CustomersService,
    private readonly customFields: CustomFieldsRepository,
  ) {}

  /** "I'm taking this": the operator joins the call's handlers, visible to the others. Idempotent. */
  async startInteraction(principal: Principal, callId: string): Promise<Interaction> {
    return this.dataSource.transaction(async (m) => {
      const current = await this.interactions.findByCall(m, principal.tenantId, callId, true);
      if (!current) throw new DomainError('CALL_NOT_FOUND', { callId });
      if (current.handledBy.some((h) => h.userId === principal.userId)) return current;
      const next: Interaction = {
        ...current,
        operatorId: current.operatorId ?? principal.userId,
        operatorName: current.operatorId ? current.operatorName : (principal.name ?? null),
        handledBy: [
          ...current.handledBy,
          { userId: principal.userId, name: principal.name ?? null, since: new Date().toISOString() },
        ],
      };
      await this.interactions.save(m, principal.tenantId, next);
      await this.publish(m, principal, 'taken', next, null);
      return (await this.interactions.findById(m, principal.tenantId, next.id)) as Interaction;
    });
  }

  async update(principal: Principal, id: string, update: InteractionUpdate): Promise<Interaction> {
    this.check(update);
    return this.dataSource.transaction(async (m) => {
      const current = await this.interactions.findById(m, principal.tenantId, id, true);
      if (!current) throw notFound('interaction');
      const changes = changesOf(current, update);
      if (!current.notesAllowed && changes.some((c) => noteFields.includes(c.field))) throw notesNotAllowed();
      if (changes.length === 0) return current;
      const next = applyChanges(current, changes);
      await this.interactions.save(m, principal.tenantId, next);
      await this.interactions.addEdits(
        m,
        principal.tenantId,
        id,
        { userId: principal.userId, name: principal.name ?? null },
        changes,
      );
      await this.publish(m, principal, 'updated', next, null);
      return (await this.interactions.findById(m, principal.tenantId, id)) as Interaction;
    });
  }

  /** A note written without a call (e.g. after a visit). */
  async addNote(principal: Principal, customerId: string, notes: string, outcome: string | null): Promise<Interaction> {
    this.check({ notes, outcome });
    if (notes.trim() === '')
      throw new DomainError('INVALID_INTERACTION', {
        reason: { ja: 'メモを入力してください。', en: 'A note must not be empty.' },
      });
    return this.dataSource.transaction(async (m) => {
      if (!(await this.customers.findById(m, principal.tenantId, customerId))) throw notFound('customer');
      const id = await this.interactions.insertNote(m, principal.tenantId, {
        customerId,
        notes: notes.trim(),
        outcome: outcome?.trim() || null,
        operatorId: principal.userId,
        operatorName: principal.name ?? null,
      });
      const created = (await this.interactions.findById(m, principal.tenantId, id)) as Interaction;
      await this.publish(m, principal, 'updated', created, null);
      return created;
    });
  }

  /**
   * A profile correction made during a call (or anywhere): the customer changes and, when a call
   * is given, the call's popup shows the corrected record to everyone on it (kept on the call's
   * interaction when it is the call's customer, joined into the popup when it is read).
   */
  async correctProfile(
    principal: Principal,
    customerId: string,
    input: CustomerInput,
    callId: string | null,
  ): Promise<Customer> {
    return this.dataSource.transaction(async (m) => {
      const customer = await this.customersService.update(principal, customerId, input, m);
      const interaction = callId ? await this.interactions.findByCall(m, principal.tenantId, callId, true) : null;
      if (callId && !interaction) throw new DomainError('CALL_NOT_FOUND', { callId });
      const phones = await this.customers.phonesOf(m, principal.tenantId, [customer.id]);
      const definitions = await this.customFields.list(m, principal.tenantId);
      const totals = await this.customers.purchaseTotalsOf(m, principal.tenantId, customer.id);
      const popupCustomer = toPopupCustomer(customer, phones, definitions, totals.lastPurchaseOn);
      if (interaction?.customerId === customer.id)
        await this.interactions.setCorrectedCustomer(m, principal.tenantId, interaction.id, popupCustomer);
      await this.publish(m, principal, 'profile-corrected', interaction, popupCustomer, customer.id);
      return customer;
    });
  }

  async edits(tenantId: string, interactionId: string) {
    return this.interactions.editsOf(this.dataSource.manager, tenantId, interactionId);
  }

  /** The customer's latest interactions, newest first (1 to 500, 20 when null). */
  async recentOf(tenantId: string, customerId: string, limit: number | null | undefined): Promise<Interaction[]> {
    const n = Math.min(Math.max(limit ?? 20, 1), 500);
    return this.interactions.recentOf(this.dataSource.manager, tenantId, customerId, n);
  }

  async get(tenantId: string, id: string): Promise<Interaction | null> {
    return this.interactions.findById(this.dataSource.manager, tenantId, id);
  }

  private check(update: InteractionUpdate): void {
    enforce(
      checkLength('interactionNotes', update.notes),
      checkLength('outcome', update.outcome),
      checkLength('followUpAssigneeName', update.followUpAssigneeName),
      checkLength('ownerId', update.followUpAssigneeId),
    );
    if (update.followUpOn) {
      const date = calendarDate(update.followUpOn);
      if (!date)
        throw new DomainError('INVALID_INTERACTION', {
          reason: { ja: 'フォローアップ日は日付（YYYY-MM-DD）です。', en: 'followUpOn must be a date (YYYY-MM-DD).' },
        });
      update.followUpOn = date;
    }
  }

  /** Tells the other operators (the gateway pushes `customers.interactions.v1` to their consoles). */
  private async publish(
    m: EntityManager,
    principal: Principal,
    kind: InteractionChangePayload['kind'],
    i: Interaction | null,
    customer: InteractionChangePayload['customer'],
    customerId: string | null = i?.customerId ?? null,
  ): Promise<void> {
    await enqueueEvent(m, {
      topic: INTERACTIONS_TOPIC,
      key: i?.callId ? `${principal.tenantId}:${i.callId}` : `${principal.tenantId}:${customerId ?? ''}`,
      tenantId: principal.tenantId,
      payload: {
        kind,
        interactionId: i?.id ?? null,
        callId: i?.callId ?? null,
        popupId: i?.popupId ?? null,
        customerId,
        by: { userId: principal.userId, name: principal.name ?? null },
        notes: i?.notes ?? null,
        outcome: i?.outcome ?? null,
        followUpOn: i?.followUpOn ?? null,
        followUpAssigneeId: i?.followUpAssigneeId ?? null,
        handledBy: i?.handledBy ?? [],
        customer,
        at: new Date().toISOString(),
      },
    });
  }
}
