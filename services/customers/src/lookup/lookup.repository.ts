import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { LookupCard } from './card';
import type { SourceSettings } from './connectors/connector';

export type SourceKind = 'HTTPS' | 'KINTONE' | 'FILEMAKER';

/** A lookup source as stored (the secret sealed). */
export interface LookupSourceRow {
  id: string;
  tenantId: string;
  name: string;
  kind: SourceKind;
  enabled: boolean;
  budgetMs: number;
  settings: SourceSettings;
  sealedSecret: string;
  lastOkAt: Date | null;
  lastErrorCode: string | null;
  lastErrorDetail: string | null;
  lastErrorAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The plan code of billing's Integration plan (services/billing/src/plans/default-plans.ts). */
export const INTEGRATION_PLAN_CODE = 'INTEGRATION';

const columns = `id, tenant_id AS "tenantId", name, kind, enabled, budget_ms AS "budgetMs", settings,
  sealed_secret AS "sealedSecret", last_ok_at AS "lastOkAt", last_error_code AS "lastErrorCode",
  last_error_detail AS "lastErrorDetail", last_error_at AS "lastErrorAt", created_at AS "createdAt",
  updated_at AS "updatedAt"`;

export const lookupSql = {
  list: `SELECT ${columns} FROM lookup_sources WHERE tenant_id = $1 ORDER BY name, id`,
  get: `SELECT ${columns} FROM lookup_sources WHERE tenant_id = $1 AND id = $2`,
  insert: `
    INSERT INTO lookup_sources (id, tenant_id, name, kind, enabled, budget_ms, settings, sealed_secret)
    VALUES ($2, $1, $3, $4, $5, $6, $7, $8)
    ON CONFLICT (tenant_id, name) DO NOTHING
    RETURNING ${columns}`,
  update: `
    UPDATE lookup_sources SET name = $3, enabled = $4, budget_ms = $5, settings = $6,
      sealed_secret = COALESCE($7, sealed_secret), updated_at = now()
    WHERE tenant_id = $1 AND id = $2
    RETURNING ${columns}`,
  delete: 'DELETE FROM lookup_sources WHERE tenant_id = $1 AND id = $2 RETURNING id',
  // The ring's question: enabled sources of these tenants, only for tenants whose newest contract
  // from billing is an active Integration plan (docs/product-rules.md §9).
  activeFor: `
    SELECT ${columns.replace(/(^|\s)(\w+)(,| AS)/g, '$1s.$2$3')}
    FROM lookup_sources s
    JOIN tenant_plans p ON p.tenant_id = s.tenant_id AND p.plan_code = $2 AND p.status = 'active'
    WHERE s.tenant_id = ANY($1::uuid[]) AND s.enabled
    ORDER BY s.tenant_id, s.name`,
  planOf: 'SELECT plan_code AS "planCode", status FROM tenant_plans WHERE tenant_id = $1',
  savePlan: `
    INSERT INTO tenant_plans (tenant_id, plan_code, status, contract_version) VALUES ($1, $2, $3, $4)
    ON CONFLICT (tenant_id) DO UPDATE
      SET plan_code = EXCLUDED.plan_code, status = EXCLUDED.status,
          contract_version = EXCLUDED.contract_version, updated_at = now()
      WHERE tenant_plans.contract_version < EXCLUDED.contract_version`,
  recordOk: 'UPDATE lookup_sources SET last_ok_at = now() WHERE tenant_id = $1 AND id = $2',
  recordError: `
    UPDATE lookup_sources SET last_error_code = $3, last_error_detail = $4, last_error_at = now()
    WHERE tenant_id = $1 AND id = $2`,
  saveLateCards: `
    INSERT INTO popup_cards (tenant_id, call_id, cards) VALUES ($1, $2, $3)
    ON CONFLICT (tenant_id, call_id) DO UPDATE SET cards = EXCLUDED.cards, updated_at = now()`,
  cardsOf: 'SELECT call_id AS "callId", cards FROM popup_cards WHERE tenant_id = $1 AND call_id = ANY($2::text[])',
  // Reads the popups feature's table on purpose: the cards a call's popup showed (late ones win).
  callCards: `
    SELECT COALESCE(c.cards, p.payload->'cards', '[]'::jsonb) AS cards
    FROM popups p LEFT JOIN popup_cards c ON c.tenant_id = p.tenant_id AND c.call_id = p.call_id
    WHERE p.tenant_id = $1 AND p.call_id = $2`,
  claimWriteback: `
    INSERT INTO lookup_writebacks (tenant_id, call_id, source_id, record_id) VALUES ($1, $2, $3, $4)
    ON CONFLICT DO NOTHING RETURNING record_id`,
  releaseWriteback: `
    DELETE FROM lookup_writebacks WHERE tenant_id = $1 AND call_id = $2 AND source_id = $3 AND record_id = $4`,
} satisfies Record<string, string>;

/** Every statement of lookup sources, the tenant's plan, late cards and write-backs. */
@Injectable()
export class LookupRepository {
  async list(m: EntityManager, tenantId: string): Promise<LookupSourceRow[]> {
    return m.query(lookupSql.list, [tenantId]);
  }

  async get(m: EntityManager, tenantId: string, id: string): Promise<LookupSourceRow | null> {
    return ((await m.query(lookupSql.get, [tenantId, id])) as LookupSourceRow[])[0] ?? null;
  }

  /** Null when the tenant already has a source of that name. */
  async insert(
    m: EntityManager,
    tenantId: string,
    row: Pick<LookupSourceRow, 'id' | 'name' | 'kind' | 'enabled' | 'budgetMs' | 'settings' | 'sealedSecret'>,
  ): Promise<LookupSourceRow | null> {
    const rows: LookupSourceRow[] = await m.query(lookupSql.insert, [
      tenantId,
      row.id,
      row.name,
      row.kind,
      row.enabled,
      row.budgetMs,
      JSON.stringify(row.settings),
      row.sealedSecret,
    ]);
    return rows[0] ?? null;
  }

  /** `sealedSecret` null keeps the stored one. */
  async update(
    m: EntityManager,
    tenantId: string,
    id: string,
    row: Pick<LookupSourceRow, 'name' | 'enabled' | 'budgetMs' | 'settings'> & { sealedSecret: string | null },
  ): Promise<LookupSourceRow | null> {
    const [rows] = (await m.query(lookupSql.update, [
      tenantId,
      id,
      row.name,
      row.enabled,
      row.budgetMs,
      JSON.stringify(row.settings),
      row.sealedSecret,
    ])) as [LookupSourceRow[], number];
    return rows[0] ?? null;
  }

  async delete(m: EntityManager, tenantId: string, id: string): Promise<boolean> {
    const [rows] = (await m.query(lookupSql.delete, [tenantId, id])) as [unknown[], number];
    return rows.length > 0;
  }

  /** Enabled sources of these tenants that are on an active Integration plan. */
  async activeFor(m: EntityManager, tenantIds: string[]): Promise<LookupSourceRow[]> {
    return m.query(lookupSql.activeFor, [tenantIds, INTEGRATION_PLAN_CODE]);
  }

  async planOf(m: EntityManager, tenantId: string): Promise<{ planCode: string; status: string } | null> {
    return ((await m.query(lookupSql.planOf, [tenantId])) as { planCode: string; status: string }[])[0] ?? null;
  }

  /** Billing's newest contract version per tenant wins; an older event arriving late changes nothing. */
  async savePlan(m: EntityManager, tenantId: string, plan: { planCode: string; status: string; version: number }) {
    await m.query(lookupSql.savePlan, [tenantId, plan.planCode, plan.status, plan.version]);
  }

  async recordOk(m: EntityManager, tenantId: string, id: string): Promise<void> {
    await m.query(lookupSql.recordOk, [tenantId, id]);
  }

  async recordError(m: EntityManager, tenantId: string, id: string, code: string, detail: string): Promise<void> {
    await m.query(lookupSql.recordError, [tenantId, id, code, detail.slice(0, 500)]);
  }

  async saveLateCards(m: EntityManager, tenantId: string, callId: string, cards: LookupCard[]): Promise<void> {
    await m.query(lookupSql.saveLateCards, [tenantId, callId, JSON.stringify(cards)]);
  }

  /** The complete card lists of calls whose sources answered after the popup went out. */
  async cardsOf(m: EntityManager, tenantId: string, callIds: string[]): Promise<Map<string, LookupCard[]>> {
    if (callIds.length === 0) return new Map();
    const rows: { callId: string; cards: LookupCard[] }[] = await m.query(lookupSql.cardsOf, [tenantId, callIds]);
    return new Map(rows.map((r) => [r.callId, r.cards]));
  }

  /** Every card the call's popup showed (on time or late); empty when the call has no popup. */
  async callCards(m: EntityManager, tenantId: string, callId: string): Promise<LookupCard[]> {
    const rows: { cards: LookupCard[] }[] = await m.query(lookupSql.callCards, [tenantId, callId]);
    return rows[0]?.cards ?? [];
  }

  /** True the first time a call's note is to be written to this record (at most once per call). */
  async claimWriteback(m: EntityManager, tenantId: string, callId: string, sourceId: string, recordId: string) {
    const rows: unknown[] = await m.query(lookupSql.claimWriteback, [tenantId, callId, sourceId, recordId]);
    return rows.length > 0;
  }

  /** Gives a claim back after the write failed, so a later change of the call tries again. */
  async releaseWriteback(m: EntityManager, tenantId: string, callId: string, sourceId: string, recordId: string) {
    await m.query(lookupSql.releaseWriteback, [tenantId, callId, sourceId, recordId]);
  }
}
