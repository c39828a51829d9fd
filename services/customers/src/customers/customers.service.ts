import { randomUUID } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import { DomainError, notFound, type Principal, type Reason } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { CustomFieldsRepository } from '../custom-fields/custom-fields.repository';
import {
  applyCustomFields,
  type CustomFieldDefinition,
  type CustomFieldInputValue,
  type CustomFieldValues,
} from '../custom-fields/validate';
import { customerEvent } from '../webhooks/webhook-events';
import { WebhookEventsRecorder } from '../webhooks/webhook-events.recorder';
import { normalizeAddress } from './address';
import type { Address, Customer, PhoneType, Purchase } from './customer';
import {
  type CustomerFilter,
  type CustomerSort,
  CustomersRepository,
  type CustomerWrite,
} from './customers.repository';
import { toKatakana, withoutSpaces } from './kana';
import { checkLength, customerViolations, enforce, limitError } from './limits';
import { phoneKeys } from './phone-keys';
import { checkPhones, parsePhone, phoneSearchOf, phonesToAdd } from './phone-rules';

export interface PhoneInput {
  number: string;
  type?: PhoneType | null;
  label?: string | null;
}

export interface CustomFieldInput {
  key: string;
  value?: string | null;
  values?: string[] | null;
}

export interface CustomerInput {
  externalId?: string | null;
  name?: string | null;
  nameKana?: string | null;
  company?: string | null;
  department?: string | null;
  phones?: PhoneInput[] | null;
  emails?: string[] | null;
  address?: Partial<Address> | null;
  tags?: string[] | null;
  notes?: string | null;
  ownerId?: string | null;
  customFields?: CustomFieldInput[] | null;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const invalidCustomer = (message: Reason, details?: Record<string, unknown>) =>
  new DomainError('INVALID_CUSTOMER', { reason: message }, details);

/** Turns GraphQL/CSV custom field input into key → value (null clears). */
export function customFieldInputMap(
  input: CustomFieldInput[] | null | undefined,
): Record<string, CustomFieldInputValue> {
  const out: Record<string, CustomFieldInputValue> = {};
  for (const f of input ?? []) out[f.key] = f.values ?? f.value ?? null;
  return out;
}

@Injectable()
export class CustomersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly customers: CustomersRepository,
    private readonly customFields: CustomFieldsRepository,
    // Optional so the benchmarks and unit tests can build the service without the webhook feature.
    @Optional() private readonly webhooks?: WebhookEventsRecorder,
  ) {}

  async get(tenantId: string, id: string): Promise<Customer> {
    const c = await this.customers.findById(this.dataSource.manager, tenantId, id);
    if (!c) throw notFound('customer');
    return c;
  }

  async search(
    tenantId: string,
    search: {
      text?: string | null;
      phone?: string | null;
      tag?: string | null;
      customField?: { key: string; value: string } | null;
    } | null,
    page: { offset?: number | null; limit?: number | null } | null,
    sort: CustomerSort,
  ) {
    const offset = page?.offset ?? 0;
    const limit = page?.limit ?? 20;
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(limit) || limit < 1 || limit > 100) {
      throw new DomainError('INVALID_PAGE', {
        reason: {
          ja: 'offset は0以上、limit は1〜100です。',
          en: 'offset must be 0 or more and limit between 1 and 100.',
        },
      });
    }
    const filter: CustomerFilter = {};
    const text = search?.text ? withoutSpaces(search.text) : '';
    if (text) filter.text = { plain: text, kana: toKatakana(text) };
    if (search?.phone) {
      // A whole number matches on its keys; part of one (「1111」) on the digits (phone-rules.ts).
      const whole = phoneSearchOf(search.phone);
      if ('keys' in whole) filter.phone = whole.keys;
      else filter.phoneDigits = whole.digits;
    }
    if (search?.tag) filter.tag = search.tag.trim();
    if (search?.customField)
      filter.customField = { key: search.customField.key, value: search.customField.value.normalize('NFKC').trim() };
    const { items, total } = await this.customers.search(
      this.dataSource.manager,
      tenantId,
      filter,
      { offset, limit },
      sort,
    );
    return { items, total, offset, limit };
  }

  /** Runs inside the caller's transaction when given one (CSV import). */
  async create(
    principal: Principal,
    input: CustomerInput,
    manager?: EntityManager,
    definitions?: readonly CustomFieldDefinition[],
  ): Promise<Customer> {
    const run = async (m: EntityManager) => {
      const write = await this.prepare(m, principal.tenantId, null, input, definitions);
      if (write.externalId && (await this.customers.findByExternalId(m, principal.tenantId, write.externalId))) {
        throw new DomainError('DUPLICATE_EXTERNAL_ID', { externalId: write.externalId });
      }
      // The one phone rule (phone-rules.ts): every number a phone number, within the count limit.
      const phones = phonesToAdd(null, checkPhones(input.phones ?? []));
      const id = await this.customers.insert(m, principal.tenantId, write, principal.userId);
      for (const phone of phones) await this.customers.addPhone(m, principal.tenantId, id, phone);
      return this.announce(
        m,
        'customer.created',
        (await this.customers.findById(m, principal.tenantId, id)) as Customer,
      );
    };
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  /** Only the fields present in `input` change. Runs inside the caller's transaction when given one. */
  async update(
    principal: Principal,
    id: string,
    input: CustomerInput,
    manager?: EntityManager,
    definitions?: readonly CustomFieldDefinition[],
  ): Promise<Customer> {
    const run = async (m: EntityManager) => {
      const existing = await this.customers.findById(m, principal.tenantId, id);
      if (!existing) throw notFound('customer');
      const write = await this.prepare(m, principal.tenantId, existing, input, definitions);
      const phones = checkPhones(input.phones ?? []);
      // A number the customer already has (in any format) is not added twice: re-imports stay idempotent.
      // Checked before the first write: a refused update changes nothing.
      const known = new Set(
        (await this.customers.phonesOf(m, principal.tenantId, [id])).map((p) => phoneKeys(p.raw).nationalDigits),
      );
      const added = phonesToAdd(known, phones);
      await this.customers.update(m, principal.tenantId, id, write, principal.userId);
      for (const phone of added) await this.customers.addPhone(m, principal.tenantId, id, phone);
      return this.announce(
        m,
        'customer.updated',
        (await this.customers.findById(m, principal.tenantId, id)) as Customer,
      );
    };
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  /** The tenant's customer.created / customer.updated webhooks, in the writing transaction. */
  private async announce(m: EntityManager, type: 'customer.created' | 'customer.updated', c: Customer) {
    if (this.webhooks) this.webhooks.recorded(await this.webhooks.record(m, [customerEvent(randomUUID(), type, c)]));
    return c;
  }

  async addPhoneNumber(principal: Principal, customerId: string, phone: PhoneInput): Promise<Customer> {
    return this.update(principal, customerId, { phones: [phone] });
  }

  /**
   * The tenant's customers that already have this number, in any format (at most 20): the form warns
   * before a second customer gets a number someone has (a shared number is allowed: a family, a front desk).
   */
  async byPhone(tenantId: string, number: string, exceptCustomerId?: string | null): Promise<Customer[]> {
    const keys = parsePhone(number);
    const { items } = await this.customers.search(
      this.dataSource.manager,
      tenantId,
      { phone: keys },
      { offset: 0, limit: 21 },
      'KANA_ASC',
    );
    return items.filter((c) => c.id !== exceptCustomerId).slice(0, 20);
  }

  /**
   * Deletes a customer for good: its numbers and purchases with it; its interactions (対応履歴) stay,
   * no longer linked to anyone, and popups stay as they rang (docs/product-rules.md, the popup is kept
   * as it was when the call rang).
   */
  async delete(principal: Principal, id: string): Promise<boolean> {
    if (!(await this.customers.delete(this.dataSource.manager, principal.tenantId, id))) throw notFound('customer');
    return true;
  }

  /** Removes one of the customer's numbers; calls from it no longer find this customer. */
  async removePhone(principal: Principal, customerId: string, phoneId: string): Promise<Customer> {
    return this.dataSource.transaction(async (m) => {
      if (!(await this.customers.findById(m, principal.tenantId, customerId))) throw notFound('customer');
      if (!(await this.customers.removePhone(m, principal.tenantId, customerId, phoneId))) throw notFound('number');
      return (await this.customers.findById(m, principal.tenantId, customerId)) as Customer;
    });
  }

  async recordPurchase(
    principal: Principal,
    customerId: string,
    input: { purchasedOn: string; item: string; quantity?: number | null; amountYen: number; channel?: string | null },
  ): Promise<Purchase> {
    const quantity = input.quantity ?? 1;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.purchasedOn) || Number.isNaN(Date.parse(input.purchasedOn))) {
      throw new DomainError('INVALID_PURCHASE', {
        reason: { ja: '購入日は日付（YYYY-MM-DD）です。', en: 'purchasedOn must be a date (YYYY-MM-DD).' },
      });
    }
    if (!Number.isSafeInteger(input.amountYen) || input.amountYen < 0) {
      throw new DomainError('INVALID_PURCHASE', {
        reason: { ja: '金額は0以上の整数（円）です。', en: 'amountYen must be a whole number of yen, 0 or more.' },
      });
    }
    if (!Number.isSafeInteger(quantity) || quantity < 1)
      throw new DomainError('INVALID_PURCHASE', {
        reason: { ja: '数量は1以上です。', en: 'quantity must be 1 or more.' },
      });
    if (input.item.trim() === '')
      throw new DomainError('INVALID_PURCHASE', {
        reason: { ja: '品目を入力してください。', en: 'item must not be empty.' },
      });
    enforce(checkLength('purchaseItem', input.item.trim()), checkLength('purchaseChannel', input.channel?.trim()));
    return this.dataSource.transaction(async (m) => {
      if (!(await this.customers.findById(m, principal.tenantId, customerId))) throw notFound('customer');
      const p = {
        purchasedOn: input.purchasedOn,
        item: input.item.trim(),
        quantity,
        amountYen: input.amountYen,
        channel: input.channel ?? null,
      };
      const id = await this.customers.insertPurchase(m, principal.tenantId, customerId, p);
      return { id, customerId, ...p };
    });
  }

  /**
   * Validates the input and merges it over the existing record (or defaults for a new one).
   * An import passes the tenant's custom field definitions once instead of reading them per row.
   */
  async prepare(
    m: EntityManager,
    tenantId: string,
    existing: Customer | null,
    input: CustomerInput,
    knownDefinitions?: readonly CustomFieldDefinition[],
  ): Promise<CustomerWrite> {
    // Sizes first (src/customers/limits.ts), all of them at once, before anything is read or written.
    const violations = customerViolations(input);
    if (violations.length > 0) throw limitError(violations);
    const has = (k: keyof CustomerInput) => Object.hasOwn(input, k) && input[k] !== undefined;
    const text = (k: 'name' | 'nameKana' | 'company' | 'department' | 'ownerId', current: string | null) => {
      if (!has(k)) return current;
      const v = (input[k] as string | null)?.trim() ?? '';
      return v === '' ? null : v;
    };
    const name = text('name', existing?.name ?? null);
    if (!name) throw invalidCustomer({ ja: '顧客名を入力してください。', en: 'A customer needs a name.' });
    const kana = text('nameKana', existing?.nameKana ?? null);
    let address = existing?.address ?? null;
    if (has('address')) {
      const r = normalizeAddress(input.address);
      if ('problem' in r) throw new DomainError('INVALID_ADDRESS', { reason: r.problem });
      address = r.address;
    }
    const emails = has('emails')
      ? (input.emails ?? []).map((e) => e.trim()).filter((e) => e !== '')
      : (existing?.emails ?? []);
    const badEmail = emails.find((e) => !emailPattern.test(e));
    if (badEmail)
      throw invalidCustomer({
        ja: `「${badEmail}」はメールアドレスではありません。`,
        en: `"${badEmail}" is not an email address.`,
      });
    const tags = has('tags')
      ? [...new Set((input.tags ?? []).map((t) => t.trim()).filter((t) => t !== ''))]
      : (existing?.tags ?? []);
    const notes = has('notes') ? input.notes?.trim() || null : (existing?.notes ?? null);
    const definitions = knownDefinitions ?? (await this.customFields.list(m, tenantId));
    const { values, problems } = applyCustomFields(
      definitions,
      existing?.customFields ?? {},
      customFieldInputMap(input.customFields),
    );
    if (problems.length > 0) {
      throw new DomainError(
        'INVALID_CUSTOM_FIELD',
        { reason: { ja: problems.map((p) => p.message).join(''), en: problems.map((p) => p.messageEn).join(' ') } },
        { problems },
      );
    }
    return {
      externalId: existing ? existing.externalId : input.externalId?.trim() || null,
      name,
      nameKana: kana ? toKatakana(kana) : null,
      company: text('company', existing?.company ?? null),
      department: text('department', existing?.department ?? null),
      emails,
      address,
      tags,
      notes,
      ownerId: text('ownerId', existing?.ownerId ?? null),
      customFields: values satisfies CustomFieldValues,
    };
  }
}
