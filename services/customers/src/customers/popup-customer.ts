import type { PopupPayload } from '@thankstar/contracts';
import { type CustomFieldDefinition, displayValues } from '../custom-fields/validate';
import type { Customer, CustomerPhone } from './customer';

export type PopupCustomer = NonNullable<PopupPayload['customer']>;

/**
 * The customer as a popup shows it, with every tenant-defined field in the tenant's order: in the
 * popup built when the call rings, and in a profile corrected during the call.
 */
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
