import { randomUUID } from 'node:crypto';
import { DomainError } from '@thankstar/platform';
import type { Customer } from '../customers/customer';
import type { CustomerWrite } from '../customers/customers.repository';
import type { CustomerInput } from '../customers/customers.service';
import { checkPhones, phonesToAdd } from '../customers/phone-rules';

/*
 * Rows → validated customer writes, one chunk at a time: which rows create a customer, which
 * update the one with their 顧客ID, which are rejected and why, and which numbers are added. Pure:
 * the database reads and writes around it are the import repository's (import.repository.ts).
 */

/** Rows validated and written together: one read, at most three writes, one commit. */
export const CHUNK_ROWS = 2_000;

/** What the report says about one row. */
export interface ImportRow {
  /** Line number in the file, the header being line 1. */
  line: number;
  action: 'CREATE' | 'UPDATE' | 'REJECT';
  externalId: string | null;
  name: string | null;
  problems: string[];
}

export interface PendingRow {
  line: number;
  input: CustomerInput;
}

/** A customer the import found by 顧客ID, with the national digits of the numbers it has. */
export interface ExistingCustomer {
  customer: Customer;
  phoneDigits: ReadonlySet<string | null>;
}

/** A customers row to insert or update set-based. */
export interface CustomerRecord {
  id: string;
  write: CustomerWrite;
}

/** A customer_phones row to insert. */
export interface PhoneRecord {
  customerId: string;
  raw: string;
  e164: string | null;
  nationalDigits: string | null;
  type: string;
  label: string | null;
}

export interface ChunkPlan {
  /** One per row of the chunk, in its order. */
  rows: ImportRow[];
  inserts: CustomerRecord[];
  updates: CustomerRecord[];
  phones: PhoneRecord[];
}

/**
 * The rules of createCustomer/updateCustomer for one row: validates `input` and merges it over
 * `existing` (CustomersService.prepare with the tenant's custom field definitions read once).
 */
export type PrepareCustomer = (existing: Customer | null, input: CustomerInput) => Promise<CustomerWrite>;

/** The 顧客ID a row upserts on (trimmed; blank is none). */
export const externalIdOf = (input: CustomerInput): string | null => input.externalId?.trim() || null;

/**
 * Groups rows into chunks of at most `size`. A 顧客ID repeated within a chunk starts the next
 * one: the later row must see what the earlier one wrote, so it is planned after that commit.
 */
export async function* inChunks(rows: AsyncIterable<PendingRow>, size = CHUNK_ROWS): AsyncGenerator<PendingRow[]> {
  let chunk: PendingRow[] = [];
  let ids = new Set<string>();
  for await (const row of rows) {
    const externalId = externalIdOf(row.input);
    if (chunk.length >= size || (externalId && ids.has(externalId))) {
      yield chunk;
      chunk = [];
      ids = new Set();
    }
    chunk.push(row);
    if (externalId) ids.add(externalId);
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Plans one chunk: each row is validated with the same rules as createCustomer/updateCustomer
 * (`prepare`, then the phone rules of src/customers/phone-rules.ts) and becomes an insert (new
 * 顧客ID or none), an update (the customer with that 顧客ID, in `existing`) or a rejection with
 * its reasons. A number the customer already has, in any format, is not added again, so a
 * re-import is idempotent. Only DomainErrors reject a row; anything else is thrown.
 */
export async function planChunk(
  chunk: readonly PendingRow[],
  existing: ReadonlyMap<string, ExistingCustomer>,
  prepare: PrepareCustomer,
  newId: () => string = randomUUID,
): Promise<ChunkPlan> {
  const plan: ChunkPlan = { rows: [], inserts: [], updates: [], phones: [] };
  for (const { line, input } of chunk) {
    const row: ImportRow = {
      line,
      action: 'CREATE',
      externalId: input.externalId ?? null,
      name: input.name ?? null,
      problems: [],
    };
    plan.rows.push(row);
    const externalId = externalIdOf(input);
    const found = externalId ? existing.get(externalId) : undefined;
    try {
      const { externalId: _same, ...changes } = input;
      const write = await prepare(found?.customer ?? null, found ? changes : input);
      const added = phonesToAdd(found ? found.phoneDigits : null, checkPhones(input.phones ?? []));
      const id = found?.customer.id ?? newId();
      for (const phone of added)
        plan.phones.push({
          customerId: id,
          raw: phone.number,
          e164: phone.keys.e164,
          nationalDigits: phone.keys.nationalDigits,
          type: phone.type,
          label: phone.label,
        });
      if (found) {
        row.action = 'UPDATE';
        plan.updates.push({ id, write });
      } else plan.inserts.push({ id, write });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      row.action = 'REJECT';
      const details = err.details?.problems as { message: string }[] | undefined;
      row.problems = details ? details.map((p) => p.message) : [err.message];
    }
  }
  return plan;
}

/**
 * After the insert: a planned customer whose 顧客ID someone created outside the import meanwhile
 * (not in `created`) is rejected, not overwritten, and its numbers are not added. Returns the
 * phones still to insert; the plan's rows are updated in place.
 */
export function settleInserts(plan: ChunkPlan, created: ReadonlySet<string>): PhoneRecord[] {
  const lost = new Set(plan.inserts.filter((r) => !created.has(r.id)).map((r) => r.id));
  if (lost.size === 0) return plan.phones;
  const rowOf = new Map<string, ImportRow>();
  const inserted = plan.rows.filter((r) => r.action === 'CREATE');
  plan.inserts.forEach((r, i) => {
    rowOf.set(r.id, inserted[i] as ImportRow);
  });
  for (const rec of plan.inserts) {
    if (!lost.has(rec.id)) continue;
    const row = rowOf.get(rec.id) as ImportRow;
    row.action = 'REJECT';
    row.problems = [new DomainError('DUPLICATE_EXTERNAL_ID', { externalId: rec.write.externalId ?? '' }).message];
  }
  return plan.phones.filter((p) => !lost.has(p.customerId));
}

/** Records keyed by a chunk: customers created, and existing ones whose fields changed or that got a number. */
export function keyedRecords(
  created: Iterable<string>,
  changed: Iterable<string>,
  phones: readonly PhoneRecord[],
): number {
  return new Set([...created, ...changed, ...phones.map((p) => p.customerId)]).size;
}

/** The running report: every rejected row, then created/updated rows up to `limit` in all. */
export class ReportRows {
  private readonly rejectedRows: ImportRow[] = [];
  private readonly others: ImportRow[] = [];
  created = 0;
  updated = 0;
  rejected = 0;

  constructor(private readonly limit: number) {}

  add(rows: readonly ImportRow[]): void {
    for (const row of rows) {
      if (row.action === 'REJECT') {
        this.rejected++;
        this.rejectedRows.push(row);
      } else {
        if (row.action === 'CREATE') this.created++;
        else this.updated++;
        if (this.others.length < this.limit) this.others.push(row);
      }
    }
  }

  /** The rows to report, in line order, and whether some were left out. */
  rows(): { rows: ImportRow[]; truncated: boolean } {
    const room = Math.max(this.limit - this.rejectedRows.length, 0);
    const rows = [...this.rejectedRows.slice(0, this.limit), ...this.others.slice(0, room)].sort(
      (a, b) => a.line - b.line,
    );
    // Truncated whenever a row is not listed (500 rejected and 800 created rows list 1,000 of 1,300).
    return { rows, truncated: rows.length < this.created + this.updated + this.rejected };
  }
}
