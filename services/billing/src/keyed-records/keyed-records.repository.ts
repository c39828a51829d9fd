import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

const statements = {
  insertImport: `
    INSERT INTO keyed_imports (tenant_id, import_job_id, month, keyed_month, records, started_at, finished_at, outcome, event_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    ON CONFLICT (tenant_id, import_job_id) DO NOTHING`,
  ownOfTenants: `
    SELECT t.tenant_id,
           COALESCE((SELECT sum(k.records) FROM keyed_imports k
                      WHERE k.tenant_id = t.tenant_id AND k.month = $2 AND k.keyed_month = $2), 0) AS counted,
           COALESCE((SELECT a.adjustment FROM keyed_record_adjustments a WHERE a.tenant_id = t.tenant_id AND a.month = $2), 0) AS adjustment
      FROM unnest($1::uuid[]) AS t(tenant_id)`,
  lateOfTenants: `
    SELECT tenant_id, keyed_month, sum(records) AS records FROM keyed_imports
     WHERE tenant_id = ANY($1::uuid[]) AND month = $2 AND keyed_month <> $2
     GROUP BY tenant_id, keyed_month`,
  ofMonth: `
    SELECT COALESCE((SELECT sum(records) FROM keyed_imports WHERE tenant_id = $1 AND month = $2 AND keyed_month = $2), 0) AS counted,
           COALESCE((SELECT adjustment FROM keyed_record_adjustments WHERE tenant_id = $1 AND month = $2), 0) AS adjustment`,
  upsertAdjustment: `
    INSERT INTO keyed_record_adjustments (tenant_id, month, adjustment) VALUES ($1, $2, $3)
    ON CONFLICT (tenant_id, month) DO UPDATE SET adjustment = EXCLUDED.adjustment, updated_at = now()`,
};

/** Every statement of keyed records, for the SQL review file (sql/keyed-records.repository.sql). */
export const keyedRecordsSql: Record<string, string> = statements;

/** One import job's records, as customers reported them and as placed in a month. */
export interface KeyedImportRow {
  importJobId: string;
  /** The month the records are billed in. */
  month: string;
  /** The month they were keyed in (the import's start, in the tenant's zone). */
  keyedMonth: string;
  records: number;
  startedAt: string;
  finishedAt: string;
  outcome: string;
  eventId: string;
}

/** A month's own counted records and its manual adjustment. */
export interface CountedAndAdjusted {
  counted: number;
  adjustment: number;
}

/** keyed_imports (one row per tenant and import job) and keyed_record_adjustments. */
@Injectable()
export class KeyedRecordsRepository {
  /** Once per (tenant, import job): a duplicate, a replay or a second event for the job inserts nothing. */
  async insertImport(m: EntityManager, tenantId: string, row: KeyedImportRow): Promise<void> {
    await m.query(statements.insertImport, [
      tenantId,
      row.importJobId,
      row.month,
      row.keyedMonth,
      row.records,
      row.startedAt,
      row.finishedAt,
      row.outcome,
      row.eventId,
    ]);
  }

  /** The month's own counted records and adjustment of each tenant (lower-case ids), in one query. */
  async ownOfTenants(
    m: EntityManager,
    tenantIds: readonly string[],
    month: string,
  ): Promise<Map<string, CountedAndAdjusted>> {
    const rows: { tenant_id: string; counted: string; adjustment: string }[] = await m.query(statements.ownOfTenants, [
      tenantIds,
      month,
    ]);
    return new Map(
      rows.map((r) => [
        String(r.tenant_id).toLowerCase(),
        { counted: Number(r.counted), adjustment: Number(r.adjustment) },
      ]),
    );
  }

  /** Records of earlier months billed in `month` (reported late), by tenant and the month keyed in. */
  async lateOfTenants(
    m: EntityManager,
    tenantIds: readonly string[],
    month: string,
  ): Promise<{ tenantId: string; keyedMonth: string; records: number }[]> {
    const rows: { tenant_id: string; keyed_month: string; records: string }[] = await m.query(
      statements.lateOfTenants,
      [tenantIds, month],
    );
    return rows.map((r) => ({
      tenantId: String(r.tenant_id).toLowerCase(),
      keyedMonth: r.keyed_month,
      records: Number(r.records),
    }));
  }

  async ofMonth(m: EntityManager, tenantId: string, month: string): Promise<CountedAndAdjusted> {
    const [row]: { counted: string; adjustment: string }[] = await m.query(statements.ofMonth, [tenantId, month]);
    return { counted: Number(row?.counted ?? 0), adjustment: Number(row?.adjustment ?? 0) };
  }

  async upsertAdjustment(m: EntityManager, tenantId: string, month: string, adjustment: number): Promise<void> {
    await m.query(statements.upsertAdjustment, [tenantId, month, adjustment]);
  }
}
