import { Injectable } from '@nestjs/common';
import type { PopupPayload } from '@thankstar/contracts';
import type { EntityManager } from 'typeorm';

/** Every popup sent, as sent: `pendingPopups` and `popup(callId)` serve the stored payload. */
@Injectable()
export class PopupsRepository {
  /** False when the call already has a popup (a duplicate or replayed ring). */
  async insert(m: EntityManager, tenantId: string, p: PopupPayload): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO popups (id, tenant_id, call_id, class, rang_at, payload) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, call_id) DO NOTHING RETURNING id`,
      [p.popupId, tenantId, p.callId, p.class, p.rangAt, JSON.stringify(p)],
    );
    return rows.length > 0;
  }

  async findByCall(
    m: EntityManager,
    tenantId: string,
    callId: string,
    forUpdate = false,
  ): Promise<PopupPayload | null> {
    const rows: { payload: PopupPayload }[] = await m.query(
      `SELECT payload FROM popups WHERE tenant_id = $1 AND call_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
      [tenantId, callId],
    );
    return rows[0]?.payload ?? null;
  }

  async replacePayload(m: EntityManager, tenantId: string, p: PopupPayload): Promise<void> {
    await m.query('UPDATE popups SET payload = $3 WHERE tenant_id = $1 AND call_id = $2', [
      tenantId,
      p.callId,
      JSON.stringify(p),
    ]);
  }

  /** The newest `limit` popups that rang after `since`, returned oldest first. */
  async rangSince(m: EntityManager, tenantId: string, since: Date, limit: number): Promise<PopupPayload[]> {
    const rows: { payload: PopupPayload }[] = await m.query(
      `SELECT payload FROM (
         SELECT payload, rang_at, id FROM popups WHERE tenant_id = $1 AND rang_at > $2 ORDER BY rang_at DESC, id DESC LIMIT $3
       ) newest ORDER BY rang_at, id`,
      [tenantId, since, limit],
    );
    return rows.map((r) => r.payload);
  }
}
