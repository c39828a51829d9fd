import type { PopupPayload } from '@thankstar/contracts';
import { type CustomFieldDefinition, displayValues } from '../custom-fields/validate';
import type { Customer, CustomerPhone } from '../customers/customer';
import type { Interaction } from '../interactions/interaction';
import { summaryOf } from '../interactions/interaction';

type PopupCustomer = NonNullable<PopupPayload['customer']>;

/** The customer as a popup shows it, with every tenant-defined field in the tenant's order. */
export function toPopupCustomer(
  c: Customer,
  phones: readonly CustomerPhone[],
  definitions: readonly CustomFieldDefinition[],
  lastPurchaseOn: string | null,
): PopupCustomer {
  return {
    id: c.id,
    name: c.name,
    nameKana: c.nameKana,
    company: c.company,
    tags: c.tags,
    department: c.department,
    phones: phones
      .filter((p) => p.customerId === c.id)
      .map((p) => ({ raw: p.raw, display: p.display, type: p.type, label: p.label })),
    emails: c.emails,
    address: c.address,
    notes: c.notes,
    customFields: definitions.map((d) => ({
      key: d.key,
      label: d.label,
      type: d.type,
      values: displayValues(c.customFields[d.key]),
    })),
    lastPurchaseOn,
  };
}

export function toPopupInteraction(
  i: Pick<Interaction, 'id' | 'occurredAt' | 'summary' | 'notes' | 'outcome' | 'operatorName'>,
): PopupPayload['interactions'][number] {
  return {
    id: i.id,
    occurredAt: i.occurredAt,
    summary: summaryOf(i),
    operatorName: i.operatorName,
    outcome: i.outcome,
  };
}

export function toPopupFollowUp(
  i: Pick<Interaction, 'id' | 'followUpOn' | 'followUpAssigneeId' | 'followUpAssigneeName' | 'notes' | 'summary'>,
): NonNullable<PopupPayload['followUps']>[number] {
  return {
    interactionId: i.id,
    dueOn: i.followUpOn as string,
    assigneeId: i.followUpAssigneeId,
    assigneeName: i.followUpAssigneeName,
    note: i.notes ? summaryOf(i) : null,
  };
}
