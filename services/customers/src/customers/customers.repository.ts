import { Injectable } from '@nestjs/common';
import { isUuid } from '@thankstar/contracts';
import { normalizePhoneNumber } from '@thankstar/phone';
import type { EntityManager } from 'typeorm';
import type { Address, Customer, CustomerPhone, PhoneType, Purchase, PurchaseTotals } from './customer';
import { phoneKeys } from './phone-keys';

export interface CustomerRow {
  id: string;
  tenant_id: string;
  external_id: string | null;
  name: string;
  name_kana: string | null;
  company: string | null;
  department: string | null;
  emails: string[];
  postal_code: string | null;
  prefecture: string | null;
  city: string | null;
  street: string | null;
  building: string | null;
  tags: string[];
  notes: string | null;
  owner_id: string | null;
  custom_fields: Record<string, never>;
  created_by: string | null;
  updated_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export const customerColumns =
  'c.id, c.tenant_id, c.external_id, c.name, c.name_kana, c.company, c.department, c.emails, c.postal_code, c.prefecture, c.city, c.street, c.building, c.tags, c.notes, c.owner_id, c.custom_fields, c.created_by, c.updated_by, c.created_at, c.updated_at';

export function toCustomer(r: CustomerRow): Customer {
  const address: Address = {
    postalCode: r.postal_code,
    prefecture: r.prefecture,
    city: r.city,
    street: r.street,
    building: r.building,
  };
  return {
    id: r.id,
    tenantId: r.tenant_id,
    externalId: r.external_id,
    name: r.name,
    nameKana: r.name_kana,
    company: r.company,
    department: r.department,
    emails: r.emails,
    address: Object.values(address).some((v) => v !== null) ? address : null,
    tags: r.tags,
    notes: r.notes,
    ownerId: r.owner_id,
    customFields: r.custom_fields,
    createdBy: r.created_by,
    updatedBy: r.updated_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export interface CustomerWrite {
  externalId?: string | null;
  name: string;
  nameKana: string | null;
  company: string | null;
  department: string | null;
  emails: string[];
  address: Address | null;
  tags: string[];
  notes: string | null;
  ownerId: string | null;
  customFields: Record<string, unknown>;
}

export type CustomerSort = 'KANA_ASC' | 'KANA_DESC' | 'UPDATED_DESC';

export interface CustomerFilter {
  /** `plain` for name and company, `kana` (katakana, no spaces) for the reading. */
  text?: { plain: string; kana: string };
  phone?: { e164: string | null; nationalDigits: string | null };
  /** Part of a number: digits as written in Japan (trunk 0 included), matched anywhere in a stored number. */
  phoneDigits?: string;
  tag?: string;
  customField?: { key: string; value: string };
}

export interface NewPhone {
  number: string;
  type: PhoneType;
  label: string | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const sortOrder: Record<CustomerSort, string> = {
  KANA_ASC: 'c.name_kana COLLATE "C" ASC NULLS LAST, c.name COLLATE "C" ASC, c.id',
  KANA_DESC: 'c.name_kana COLLATE "C" DESC NULLS LAST, c.name COLLATE "C" DESC, c.id',
  UPDATED_DESC: 'c.updated_at DESC, c.id',
};

/**
 * The search's two statements (total, page) for a filter and sort, with their parameters: every
 * filter given is ANDed; kana order uses code points so it is the same on every database.
 */
function searchStatements(
  tenantId: string,
  filter: CustomerFilter,
  page: { offset: number; limit: number },
  sort: CustomerSort,
): { count: string; countParams: unknown[]; page: string; params: unknown[] } {
  const where = ['c.tenant_id = $1'];
  const params: unknown[] = [tenantId];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (filter.text) {
    const plain = param(`%${escapeLike(filter.text.plain)}%`);
    const kana = param(`%${escapeLike(filter.text.kana)}%`);
    where.push(`(translate(c.name, ' 　', '') ILIKE ${plain} OR translate(c.name_kana, ' 　', '') LIKE ${kana}
                OR c.company ILIKE ${plain})`);
  }
  if (filter.phone) {
    where.push(`c.id IN (SELECT p.customer_id FROM customer_phones p WHERE p.tenant_id = $1
                 AND (p.e164 = ${param(filter.phone.e164)} OR p.national_digits = ${param(filter.phone.nationalDigits)}))`);
  }
  if (filter.phoneDigits) {
    // Served by the trigram index customer_phones_digits_trgm (same expression): no scan of every number.
    where.push(`c.id IN (SELECT p.customer_id FROM customer_phones p WHERE p.tenant_id = $1
                 AND ('0' || p.national_digits) LIKE ${param(`%${escapeLike(filter.phoneDigits)}%`)})`);
  }
  if (filter.tag) where.push(`${param(filter.tag)} = ANY(c.tags)`);
  if (filter.customField) {
    const key = param(filter.customField.key);
    const value = param(filter.customField.value);
    where.push(
      `(c.custom_fields ->> ${key} = ${value} OR (jsonb_typeof(c.custom_fields -> ${key}) = 'array' AND c.custom_fields -> ${key} ? ${value}))`,
    );
  }
  const whereSql = where.join(' AND ');
  const count = `SELECT count(*) AS n FROM customers c WHERE ${whereSql}`;
  // The count binds the filter's parameters only; the page adds offset and limit.
  const countParams = [...params];
  const pageSql = `SELECT ${customerColumns} FROM customers c WHERE ${whereSql} ORDER BY ${sortOrder[sort]} OFFSET ${param(page.offset)} LIMIT ${param(page.limit)}`;
  return { count, countParams, page: pageSql, params };
}

/** A search with every filter, as the review file shows it (the statements are built per search). */
const everyFilter = searchStatements(
  '00000000-0000-4000-8000-000000000000',
  {
    text: { plain: '山田', kana: 'ヤマダ' },
    phone: { e164: '+81312345678', nationalDigits: '0312345678' },
    tag: 'VIP',
    customField: { key: 'rank', value: 'A' },
  },
  { offset: 0, limit: 20 },
  'KANA_ASC',
);

/** A search by part of a number, as the review file shows it. */
const partialNumber = searchStatements(
  '00000000-0000-4000-8000-000000000000',
  { phoneDigits: '1111' },
  { offset: 0, limit: 20 },
  'KANA_ASC',
);

/** Every statement on customers, their numbers and purchases (reviewed as sql/customers.repository.sql). */
export const customersSql = {
  findById: `SELECT ${customerColumns} FROM customers c WHERE c.tenant_id = $1 AND c.id = $2`,
  findByExternalId: `SELECT ${customerColumns} FROM customers c WHERE c.tenant_id = $1 AND c.external_id = $2`,
  insert: `
    INSERT INTO customers (id, tenant_id, external_id, name, name_kana, company, department, emails, postal_code, prefecture,
      city, street, building, tags, notes, owner_id, custom_fields, created_by, updated_by)
    VALUES (COALESCE($1, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)
    RETURNING id`,
  update: `
    UPDATE customers SET name = $3, name_kana = $4, company = $5, department = $6, emails = $7, postal_code = $8,
      prefecture = $9, city = $10, street = $11, building = $12, tags = $13, notes = $14, owner_id = $15,
      custom_fields = $16, updated_by = $17, updated_at = now()
    WHERE tenant_id = $1 AND id = $2`,
  addPhone: `
    INSERT INTO customer_phones (tenant_id, customer_id, raw, e164, national_digits, type, label)
    VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  phonesOf: `
    SELECT id, customer_id, raw, e164, type, label FROM customer_phones
     WHERE tenant_id = $1 AND customer_id = ANY($2::uuid[]) ORDER BY created_at, id`,
  purchasesOf: `
    SELECT id, customer_id, to_char(purchased_on, 'YYYY-MM-DD') AS purchased_on, item, quantity, amount_yen, channel
      FROM purchases WHERE tenant_id = $1 AND customer_id = $2
     ORDER BY purchased_on DESC, created_at DESC LIMIT $3`,
  purchaseTotalsOf: `
    SELECT count(*) AS count, COALESCE(sum(amount_yen), 0) AS total, to_char(max(purchased_on), 'YYYY-MM-DD') AS last
      FROM purchases WHERE tenant_id = $1 AND customer_id = $2`,
  insertPurchase: `
    INSERT INTO purchases (tenant_id, customer_id, purchased_on, item, quantity, amount_yen, channel)
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
  searchCount: everyFilter.count,
  searchPage: everyFilter.page,
  searchByPartialNumberCount: partialNumber.count,
  searchByPartialNumberPage: partialNumber.page,
  /** Phones and purchases go with it (ON DELETE CASCADE); interactions stay, unlinked (ON DELETE SET NULL). */
  // CTEs, because TypeORM answers a bare DELETE with [rows, count] instead of rows.
  delete: 'WITH gone AS (DELETE FROM customers WHERE tenant_id = $1 AND id = $2 RETURNING id) SELECT id FROM gone',
  removePhone: `WITH gone AS (DELETE FROM customer_phones WHERE tenant_id = $1 AND customer_id = $2 AND id = $3 RETURNING id)
    SELECT id FROM gone`,
  count: 'SELECT count(*) AS n FROM customers WHERE tenant_id = $1',
} satisfies Record<string, string>;

/** All SQL on customers, numbers and purchases. Every method takes the tenant id first. */
@Injectable()
export class CustomersRepository {
  async findById(m: EntityManager, tenantId: string, id: string): Promise<Customer | null> {
    if (!isUuid(id)) return null;
    const rows: CustomerRow[] = await m.query(customersSql.findById, [tenantId, id]);
    return rows[0] ? toCustomer(rows[0]) : null;
  }

  async findByExternalId(m: EntityManager, tenantId: string, externalId: string): Promise<Customer | null> {
    const rows: CustomerRow[] = await m.query(customersSql.findByExternalId, [tenantId, externalId]);
    return rows[0] ? toCustomer(rows[0]) : null;
  }

  async insert(m: EntityManager, tenantId: string, c: CustomerWrite, by: string, id?: string): Promise<string> {
    const rows: { id: string }[] = await m.query(customersSql.insert, [
      id ?? null,
      tenantId,
      c.externalId ?? null,
      ...recordColumns(c),
      by,
    ]);
    return (rows[0] as { id: string }).id;
  }

  async update(m: EntityManager, tenantId: string, id: string, c: CustomerWrite, by: string): Promise<void> {
    await m.query(customersSql.update, [tenantId, id, ...recordColumns(c), by]);
  }

  /** Stores what arrived plus its keys; an unparseable number is kept (raw) but cannot match by E.164. */
  async addPhone(m: EntityManager, tenantId: string, customerId: string, phone: NewPhone): Promise<void> {
    const keys = phoneKeys(phone.number);
    await m.query(customersSql.addPhone, [
      tenantId,
      customerId,
      phone.number,
      keys.e164,
      keys.nationalDigits,
      phone.type,
      phone.label,
    ]);
  }

  async phonesOf(m: EntityManager, tenantId: string, customerIds: string[]): Promise<CustomerPhone[]> {
    if (customerIds.length === 0) return [];
    const rows: {
      id: string;
      customer_id: string;
      raw: string;
      e164: string | null;
      type: PhoneType;
      label: string | null;
    }[] = await m.query(customersSql.phonesOf, [tenantId, customerIds]);
    return rows.map((r) => ({
      id: r.id,
      customerId: r.customer_id,
      raw: r.raw,
      e164: r.e164,
      display: r.e164 ? normalizePhoneNumber(r.e164).display : null,
      type: r.type,
      label: r.label,
    }));
  }

  async purchasesOf(m: EntityManager, tenantId: string, customerId: string, limit: number): Promise<Purchase[]> {
    const rows: {
      id: string;
      customer_id: string;
      purchased_on: string;
      item: string;
      quantity: number;
      amount_yen: string;
      channel: string | null;
    }[] = await m.query(customersSql.purchasesOf, [tenantId, customerId, limit]);
    return rows.map((r) => ({
      id: r.id,
      customerId: r.customer_id,
      purchasedOn: r.purchased_on,
      item: r.item,
      quantity: r.quantity,
      amountYen: Number(r.amount_yen),
      channel: r.channel,
    }));
  }

  async purchaseTotalsOf(m: EntityManager, tenantId: string, customerId: string): Promise<PurchaseTotals> {
    const rows: { count: string; total: string; last: string | null }[] = await m.query(customersSql.purchaseTotalsOf, [
      tenantId,
      customerId,
    ]);
    const r = rows[0] as { count: string; total: string; last: string | null };
    return { count: Number(r.count), lifetimeValueYen: Number(r.total), lastPurchaseOn: r.last };
  }

  async insertPurchase(
    m: EntityManager,
    tenantId: string,
    customerId: string,
    p: Omit<Purchase, 'id' | 'customerId'>,
  ): Promise<string> {
    const rows: { id: string }[] = await m.query(customersSql.insertPurchase, [
      tenantId,
      customerId,
      p.purchasedOn,
      p.item,
      p.quantity,
      p.amountYen,
      p.channel,
    ]);
    return (rows[0] as { id: string }).id;
  }

  /** Search with every filter given (AND), paginated (see searchStatements). */
  async search(
    m: EntityManager,
    tenantId: string,
    filter: CustomerFilter,
    page: { offset: number; limit: number },
    sort: CustomerSort,
  ) {
    const statements = searchStatements(tenantId, filter, page, sort);
    const totalRows: { n: string }[] = await m.query(statements.count, statements.countParams);
    const rows: CustomerRow[] = await m.query(statements.page, statements.params);
    return { items: rows.map(toCustomer), total: Number(totalRows[0]?.n ?? 0) };
  }

  /** Deletes the customer; false when the tenant has no such customer. */
  async delete(m: EntityManager, tenantId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows: { id: string }[] = await m.query(customersSql.delete, [tenantId, id]);
    return rows.length > 0;
  }

  /** Removes one number of the customer; false when the customer has no such number. */
  async removePhone(m: EntityManager, tenantId: string, customerId: string, phoneId: string): Promise<boolean> {
    if (!isUuid(customerId) || !isUuid(phoneId)) return false;
    const rows: { id: string }[] = await m.query(customersSql.removePhone, [tenantId, customerId, phoneId]);
    return rows.length > 0;
  }

  async count(m: EntityManager, tenantId: string): Promise<number> {
    const rows: { n: string }[] = await m.query(customersSql.count, [tenantId]);
    return Number(rows[0]?.n ?? 0);
  }
}

/** The record's columns in the order both `insert` and `update` bind them. */
function recordColumns(c: CustomerWrite): unknown[] {
  const a = c.address;
  return [
    c.name,
    c.nameKana,
    c.company,
    c.department,
    c.emails,
    a?.postalCode ?? null,
    a?.prefecture ?? null,
    a?.city ?? null,
    a?.street ?? null,
    a?.building ?? null,
    c.tags,
    c.notes,
    c.ownerId,
    JSON.stringify(c.customFields),
  ];
}
