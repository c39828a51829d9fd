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

const tables = {
  employee: { table: 'employee_numbers', note: 'label' },
  nuisance: { table: 'nuisance_numbers', note: 'reason' },
} as const;

/** The tenant's employee (社員) and nuisance (迷惑電話) numbers, keyed by national digits. */
@Injectable()
export class NumbersRepository {
  async find(
    m: EntityManager,
    list: NumberList,
    tenantId: string,
    nationalDigits: string | null,
  ): Promise<ListedNumber | null> {
    if (!nationalDigits) return null;
    const { table, note } = tables[list];
    const rows: {
      id: string;
      raw: string;
      e164: string | null;
      note: string | null;
      created_by: string | null;
      created_at: Date;
    }[] = await m.query(
      `SELECT id, raw, e164, ${note} AS note, created_by, created_at FROM ${table} WHERE tenant_id = $1 AND national_digits = $2`,
      [tenantId, nationalDigits],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          raw: r.raw,
          e164: r.e164,
          note: r.note,
          createdBy: r.created_by,
          createdAt: r.created_at.toISOString(),
        }
      : null;
  }

  async list(m: EntityManager, list: NumberList, tenantId: string): Promise<ListedNumber[]> {
    const { table, note } = tables[list];
    const rows: {
      id: string;
      raw: string;
      e164: string | null;
      note: string | null;
      created_by: string | null;
      created_at: Date;
    }[] = await m.query(
      `SELECT id, raw, e164, ${note} AS note, created_by, created_at FROM ${table} WHERE tenant_id = $1 ORDER BY created_at, id`,
      [tenantId],
    );
    return rows.map((r) => ({
      id: r.id,
      raw: r.raw,
      e164: r.e164,
      note: r.note,
      createdBy: r.created_by,
      createdAt: r.created_at.toISOString(),
    }));
  }

  /** Adds the number, or updates its note when the same number (any format) is already listed. */
  async upsert(
    m: EntityManager,
    list: NumberList,
    tenantId: string,
    n: { raw: string; e164: string | null; nationalDigits: string; note: string | null; by: string },
  ): Promise<string> {
    const { table, note } = tables[list];
    const rows: { id: string }[] = await m.query(
      `INSERT INTO ${table} (tenant_id, raw, e164, national_digits, ${note}, created_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, national_digits) DO UPDATE SET ${note} = EXCLUDED.${note}, raw = EXCLUDED.raw
       RETURNING id`,
      [tenantId, n.raw, n.e164, n.nationalDigits, n.note, n.by],
    );
    return (rows[0] as { id: string }).id;
  }

  async remove(m: EntityManager, list: NumberList, tenantId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { table } = tables[list];
    // A CTE, because TypeORM answers a bare DELETE with [rows, count] instead of rows.
    const rows: unknown[] = await m.query(
      `WITH gone AS (DELETE FROM ${table} WHERE tenant_id = $1 AND id = $2 RETURNING id) SELECT id FROM gone`,
      [tenantId, id],
    );
    return rows.length > 0;
  }
}
