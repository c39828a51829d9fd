import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** One of a tenant's phone numbers, e.g. 03-1234-5678 labelled 東京店. */
export interface Line {
  id: string;
  tenantId: string;
  numberRaw: string;
  numberE164: string;
  label: string | null;
  createdAt: Date;
}

interface LineRow {
  id: string;
  tenant_id: string;
  number_raw: string;
  number_e164: string;
  label: string | null;
  created_at: Date;
}

const columns = 'id, tenant_id, number_raw, number_e164, label, created_at';

const statements = {
  list: `SELECT ${columns} FROM lines WHERE tenant_id = $1 ORDER BY created_at ASC`,
  get: `SELECT ${columns} FROM lines WHERE tenant_id = $1 AND id = $2`,
  insert: `INSERT INTO lines (tenant_id, number_raw, number_e164, label) VALUES ($1, $2, $3, $4)
    ON CONFLICT (tenant_id, number_e164) DO NOTHING
    RETURNING ${columns}`,
  relabel: `UPDATE lines SET label = $3 WHERE tenant_id = $1 AND id = $2 RETURNING ${columns}`,
  remove: 'DELETE FROM lines WHERE tenant_id = $1 AND id = $2',
  // The call event writer's batch: the lines its calls rang on, for several tenants at once.
  byNumbers: `SELECT l.id, l.tenant_id, l.number_e164, l.label FROM lines l
    JOIN jsonb_to_recordset($1::jsonb) AS w(tenant_id uuid, e164 text) ON l.tenant_id = w.tenant_id AND l.number_e164 = w.e164`,
} satisfies Record<string, string>;

/** Every statement of the lines table, as sent (reviewed in sql/lines.repository.sql). */
export const linesSql: Record<string, string> = statements;

const lineOf = (r: LineRow): Line => ({
  id: r.id,
  tenantId: r.tenant_id,
  numberRaw: r.number_raw,
  numberE164: r.number_e164,
  label: r.label,
  createdAt: r.created_at,
});

/** A line a call rang on, as the call event writer needs it. */
export interface RungLine {
  id: string;
  tenantId: string;
  numberE164: string;
  label: string | null;
}

@Injectable()
export class LinesRepository {
  async list(m: EntityManager, tenantId: string): Promise<Line[]> {
    const rows: LineRow[] = await m.query(statements.list, [tenantId]);
    return rows.map(lineOf);
  }

  async get(m: EntityManager, tenantId: string, id: string): Promise<Line | null> {
    const [row]: LineRow[] = await m.query(statements.get, [tenantId, id]);
    return row ? lineOf(row) : null;
  }

  /** Adds the line; null when the tenant already has this number. */
  async insert(
    m: EntityManager,
    tenantId: string,
    line: { numberRaw: string; numberE164: string; label: string | null },
  ): Promise<Line | null> {
    const [row]: LineRow[] = await m.query(statements.insert, [tenantId, line.numberRaw, line.numberE164, line.label]);
    return row ? lineOf(row) : null;
  }

  /** The relabelled line, or null when the tenant has no such line. */
  async relabel(m: EntityManager, tenantId: string, id: string, label: string | null): Promise<Line | null> {
    // TypeORM answers an UPDATE or DELETE with [rows, affected count].
    const [[row]]: [LineRow[], number] = await m.query(statements.relabel, [tenantId, id, label]);
    return row ? lineOf(row) : null;
  }

  /** Whether a line was removed. */
  async remove(m: EntityManager, tenantId: string, id: string): Promise<boolean> {
    const [, affected]: [unknown[], number] = await m.query(statements.remove, [tenantId, id]);
    return affected > 0;
  }

  /**
   * The lines with these numbers, each looked up in its own tenant (a write batch holds the
   * events of several tenants: the tenant is in every pair, not first).
   */
  async byNumbers(m: EntityManager, wanted: readonly { tenantId: string; e164: string }[]): Promise<RungLine[]> {
    if (wanted.length === 0) return [];
    const rows: { id: string; tenant_id: string; number_e164: string; label: string | null }[] = await m.query(
      statements.byNumbers,
      [JSON.stringify(wanted.map((w) => ({ tenant_id: w.tenantId, e164: w.e164 })))],
    );
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, numberE164: r.number_e164, label: r.label }));
  }
}
