import type { CustomFieldValues } from '../custom-fields/validate';

export const phoneTypes = ['MOBILE', 'HOME', 'WORK', 'FAX', 'OTHER'] as const;
export type PhoneType = (typeof phoneTypes)[number];

export interface Address {
  postalCode: string | null;
  prefecture: string | null;
  city: string | null;
  street: string | null;
  building: string | null;
}

/** A customer record as the service and resolvers see it. */
export interface Customer {
  id: string;
  tenantId: string;
  externalId: string | null;
  name: string;
  nameKana: string | null;
  company: string | null;
  department: string | null;
  emails: string[];
  address: Address | null;
  tags: string[];
  notes: string | null;
  ownerId: string | null;
  customFields: CustomFieldValues;
  createdBy: string | null;
  updatedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerPhone {
  id: string;
  customerId: string;
  raw: string;
  e164: string | null;
  display: string | null;
  type: PhoneType;
  label: string | null;
}

export interface Purchase {
  id: string;
  customerId: string;
  purchasedOn: string;
  item: string;
  quantity: number;
  amountYen: number;
  channel: string | null;
}

export interface PurchaseTotals {
  count: number;
  lifetimeValueYen: number;
  lastPurchaseOn: string | null;
}
