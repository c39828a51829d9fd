import { Injectable } from '@nestjs/common';
import { isUuid } from '@thankstar/contracts';
import type { EntityManager } from 'typeorm';
import type { PopupCustomer } from '../customers/popup-customer';
import type { CallFacts } from './call-facts';
import type { Handler, Interaction } from './interaction';

interface InteractionRow {
  id: string;
  tenant_id: string;
  customer_id: string | null;
  call_id: string | null;
  popup_id: string | null;
  kind: 'CALL' | 'NOTE';
  occurred_at: Date;
  summary: string;
  notes: string | null;
  outcome: string | null;
  notes_allowed: boolean;
  operator_id: string | null;
  operator_name: string | null;
  handled_by: Handler[];
  follow_up_on: string | null;
  follow_up_assignee_id: string | null;
  follow_up_assignee_name: string | null;
  follow_up_done: boolean;
  updated_at: Date;
}

const columns = `id, tenant_id, customer_id, call_id, popup_id, kind, occurred_at, summary, notes, outcome, notes_allowed,
  operator_id, operator_name, handled_by, to_char(follow_up_on, 'YYYY-MM-DD') AS follow_up_on, follow_up_assignee_id,
  follow_up_assignee_name, follow_up_done, updated_at`;

/** Every statement on interactions and their edits (reviewed as sql/interactions.repository.sql). */
export const interactionsSql = {
  findById: `SELECT ${columns} FROM interactions WHERE tenant_id = $1 AND id = $2`,
  findByIdForUpdate: `SELECT ${columns} FROM interactions WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
  findByCall: `SELECT ${columns} FROM interactions WHERE tenant_id = $1 AND call_id = $2`,
  findByCallForUpdate: `SELECT ${columns} FROM interactions WHERE tenant_id = $1 AND call_id = $2 FOR UPDATE`,
  recentOf: `SELECT ${columns} FROM interactions WHERE tenant_id = $1 AND customer_id = $2 ORDER BY occurred_at DESC, id LIMIT $3`,
  insertNote: `
    INSERT INTO interactions (tenant_id, customer_id, kind, occurred_at, summary, notes, outcome, operator_id, operator_name)
    VALUES ($1, $2, 'NOTE', now(), 'メモ', $3, $4, $5, $6) RETURNING id`,
  save: `
    UPDATE interactions SET customer_id = $3, notes = $4, outcome = $5, operator_id = $6, operator_name = $7, handled_by = $8,
      follow_up_on = $9, follow_up_assignee_id = $10, follow_up_assignee_name = $11, follow_up_done = $12, updated_at = now()
    WHERE tenant_id = $1 AND id = $2`,
  // Wrapped in a CTE: TypeORM answers a bare UPDATE with [rows, count] instead of rows.
  mergeEdit: `
    WITH merged AS (
      UPDATE interaction_edits SET new_value = $5, edited_at = now()
       WHERE id = (SELECT id FROM interaction_edits WHERE tenant_id = $1 AND interaction_id = $2 ORDER BY id DESC LIMIT 1)
         AND field = $3 AND edited_by = $4 AND edited_at > now() - interval '60 seconds'
       RETURNING id)
    SELECT id FROM merged`,
  insertEdit: `
    INSERT INTO interaction_edits (tenant_id, interaction_id, field, old_value, new_value, edited_by, edited_by_name)
    VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  editsOf: `
    SELECT field, old_value, new_value, edited_by, edited_by_name, edited_at FROM interaction_edits
     WHERE tenant_id = $1 AND interaction_id = $2 ORDER BY id`,
  callFacts: `
    SELECT call_id, handled_by, notes, outcome, transferred_at, popup_customer FROM interactions
     WHERE tenant_id = $1 AND call_id = ANY($2::text[])`,
  // Wrapped in a CTE, as mergeEdit: the caller needs to know whether the call has an interaction.
  markTransferred: `
    WITH marked AS (
      UPDATE interactions SET transferred_at = $3, updated_at = now() WHERE tenant_id = $1 AND call_id = $2 RETURNING id)
    SELECT id FROM marked`,
  setCorrectedCustomer:
    'UPDATE interactions SET popup_customer = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2',
} satisfies Record<string, string>;

const toInteraction = (r: InteractionRow): Interaction => ({
  id: r.id,
  tenantId: r.tenant_id,
  customerId: r.customer_id,
  callId: r.call_id,
  popupId: r.popup_id,
  kind: r.kind,
  occurredAt: r.occurred_at.toISOString(),
  summary: r.summary,
  notes: r.notes,
  outcome: r.outcome,
  notesAllowed: r.notes_allowed,
  operatorId: r.operator_id,
  operatorName: r.operator_name,
  handledBy: r.handled_by,
  followUpOn: r.follow_up_on,
  followUpAssigneeId: r.follow_up_assignee_id,
  followUpAssigneeName: r.follow_up_assignee_name,
  followUpDone: r.follow_up_done,
  updatedAt: r.updated_at.toISOString(),
});

export interface InteractionEdit {
  field: string;
  oldValue: string | null;
  newValue: string | null;
  editedBy: string;
  editedByName: string | null;
  editedAt: string;
}

/** All SQL on interactions. Every method takes the tenant id first. */
@Injectable()
export class InteractionsRepository {
  async findById(m: EntityManager, tenantId: string, id: string, forUpdate = false): Promise<Interaction | null> {
    if (!isUuid(id)) return null;
    const rows: InteractionRow[] = await m.query(
      forUpdate ? interactionsSql.findByIdForUpdate : interactionsSql.findById,
      [tenantId, id],
    );
    return rows[0] ? toInteraction(rows[0]) : null;
  }

  async findByCall(m: EntityManager, tenantId: string, callId: string, forUpdate = false): Promise<Interaction | null> {
    const rows: InteractionRow[] = await m.query(
      forUpdate ? interactionsSql.findByCallForUpdate : interactionsSql.findByCall,
      [tenantId, callId],
    );
    return rows[0] ? toInteraction(rows[0]) : null;
  }

  async recentOf(m: EntityManager, tenantId: string, customerId: string, limit: number): Promise<Interaction[]> {
    const rows: InteractionRow[] = await m.query(interactionsSql.recentOf, [tenantId, customerId, limit]);
    return rows.map(toInteraction);
  }

  async insertNote(
    m: EntityManager,
    tenantId: string,
    i: { customerId: string; notes: string; outcome: string | null; operatorId: string; operatorName: string | null },
  ): Promise<string> {
    const rows: { id: string }[] = await m.query(interactionsSql.insertNote, [
      tenantId,
      i.customerId,
      i.notes,
      i.outcome,
      i.operatorId,
      i.operatorName,
    ]);
    return (rows[0] as { id: string }).id;
  }

  async save(m: EntityManager, tenantId: string, i: Interaction): Promise<void> {
    await m.query(interactionsSql.save, [
      tenantId,
      i.id,
      i.customerId,
      i.notes,
      i.outcome,
      i.operatorId,
      i.operatorName,
      JSON.stringify(i.handledBy),
      i.followUpOn,
      i.followUpAssigneeId,
      i.followUpAssigneeName,
      i.followUpDone,
    ]);
  }

  async addEdits(
    m: EntityManager,
    tenantId: string,
    interactionId: string,
    by: { userId: string; name: string | null },
    edits: { field: string; oldValue: string | null; newValue: string | null }[],
  ): Promise<void> {
    for (const e of edits) {
      // Notes are saved as typed: successive saves of one field by one person within a minute are one edit.
      const merged: unknown[] = await m.query(interactionsSql.mergeEdit, [
        tenantId,
        interactionId,
        e.field,
        by.userId,
        e.newValue,
      ]);
      if (merged.length > 0) continue;
      await m.query(interactionsSql.insertEdit, [
        tenantId,
        interactionId,
        e.field,
        e.oldValue,
        e.newValue,
        by.userId,
        by.name,
      ]);
    }
  }

  async editsOf(m: EntityManager, tenantId: string, interactionId: string): Promise<InteractionEdit[]> {
    const rows: {
      field: string;
      old_value: string | null;
      new_value: string | null;
      edited_by: string;
      edited_by_name: string | null;
      edited_at: Date;
    }[] = await m.query(interactionsSql.editsOf, [tenantId, interactionId]);
    return rows.map((r) => ({
      field: r.field,
      oldValue: r.old_value,
      newValue: r.new_value,
      editedBy: r.edited_by,
      editedByName: r.edited_by_name,
      editedAt: r.edited_at.toISOString(),
    }));
  }

  /** The live facts of these calls (see CallFacts), one entry per call that has an interaction. */
  async callFacts(m: EntityManager, tenantId: string, callIds: readonly string[]): Promise<Map<string, CallFacts>> {
    if (callIds.length === 0) return new Map();
    const rows: {
      call_id: string;
      handled_by: Handler[];
      notes: string | null;
      outcome: string | null;
      transferred_at: Date | null;
      popup_customer: PopupCustomer | null;
    }[] = await m.query(interactionsSql.callFacts, [tenantId, [...callIds]]);
    return new Map(
      rows.map((r) => [
        r.call_id,
        {
          callId: r.call_id,
          handledBy: r.handled_by,
          notes: r.notes,
          outcome: r.outcome,
          transferredAt: r.transferred_at?.toISOString() ?? null,
          correctedCustomer: r.popup_customer,
        },
      ]),
    );
  }

  /** Records the call's latest transfer; false when the call has no interaction. */
  async markTransferred(m: EntityManager, tenantId: string, callId: string, at: string): Promise<boolean> {
    const rows: unknown[] = await m.query(interactionsSql.markTransferred, [tenantId, callId, at]);
    return rows.length > 0;
  }

  /** Keeps the profile as corrected during the call, for the call's popup. */
  async setCorrectedCustomer(m: EntityManager, tenantId: string, id: string, customer: PopupCustomer): Promise<void> {
    await m.query(interactionsSql.setCorrectedCustomer, [tenantId, id, JSON.stringify(customer)]);
  }
}
