import { Injectable } from '@nestjs/common';
import { isUuid } from '@thankstar/contracts';
import type { EntityManager } from 'typeorm';

export type NumberList = 'employee' | 'nuisance';

export interface ListedNumber {
  id: string;
  raw: string;
  e164: string | null;
  /** The employee's label or the nuisance reason. */
  note: string | null;
  createdBy: string | null;
  createdAt: string;
}

interface NumberRow {
  id: string;
  raw: string;
  e164: string | null;
  note: string | null;
  created_by: string | null;
  created_at: Date;
}

const toListed = (r: NumberRow): ListedNumber => ({
  id: r.id,
  raw: r.raw,
  e164: r.e164,
  note: r.note,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
});

/** The same four statements for each list; only the table and its note column differ. */
function statementsOf(table: string, note: string) {
  return {
    find: `SELECT id, raw, e164, ${note} AS note, created_by, created_at FROM ${table} WHERE tenant_id = $1 AND national_digits = $2`,
    list: `SELECT id, raw, e164, ${note} AS note, created_by, created_at FROM ${table} WHERE tenant_id = $1 ORDER BY created_at, id`,
    upsert: `
      INSERT INTO ${table} (tenant_id, raw, e164, national_digits, ${note}, created_by) VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (tenant_id, national_digits) DO UPDATE SET ${note} = EXCLUDED.${note}, raw = EXCLUDED.raw
      RETURNING id`,
    // A CTE, because TypeORM answers a bare DELETE with [rows, count] instead of rows.
    remove: `WITH gone AS (DELETE FROM ${table} WHERE tenant_id = $1 AND id = $2 RETURNING id) SELECT id FROM gone`,
  };
}

const statements: Record<NumberList, ReturnType<typeof statementsOf>> = {
  employee: statementsOf('employee_numbers', 'label'),
  nuisance: statementsOf('nuisance_numbers', 'reason'),
};

/** Every statement on the number lists (reviewed as sql/numbers.repository.sql). */
export const numbersSql = Object.fromEntries(
  Object.entries(statements).flatMap(([list, s]) =>
    Object.entries(s).map(([name, text]) => [`${list}${name[0]?.toUpperCase()}${name.slice(1)}`, text]),
  ),
) satisfies Record<string, string>;

/** The tenant's employee (社員) and nuisance (迷惑電話) numbers, keyed by national digits. */
@Injectable()
export class NumbersRepository {
  async find(
    m: EntityManager,
    tenantId: string,
    list: NumberList,
    nationalDigits: string | null,
  ): Promise<ListedNumber | null> {
    if (!nationalDigits) return null;
    const rows: NumberRow[] = await m.query(statements[list].find, [tenantId, nationalDigits]);
    return rows[0] ? toListed(rows[0]) : null;
  }

  async list(m: EntityManager, tenantId: string, list: NumberList): Promise<ListedNumber[]> {
    const rows: NumberRow[] = await m.query(statements[list].list, [tenantId]);
    return rows.map(toListed);
  }

  /** Adds the number, or updates its note when the same number (any format) is already listed. */
  async upsert(
    m: EntityManager,
    tenantId: string,
    list: NumberList,
    n: { raw: string; e164: string | null; nationalDigits: string; note: string | null; by: string },
  ): Promise<string> {
    const rows: { id: string }[] = await m.query(statements[list].upsert, [
      tenantId,
      n.raw,
      n.e164,
      n.nationalDigits,
      n.note,
      n.by,
    ]);
    return (rows[0] as { id: string }).id;
  }

  async remove(m: EntityManager, tenantId: string, list: NumberList, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows: unknown[] = await m.query(statements[list].remove, [tenantId, id]);
    return rows.length > 0;
  }
}
