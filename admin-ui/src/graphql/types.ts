/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type AddressInput = {
  building?: string | null | undefined;
  city?: string | null | undefined;
  postalCode?: string | null | undefined;
  prefecture?: string | null | undefined;
  street?: string | null | undefined;
};

/** Filters of the audit log. `tenantId` is for platform admins and back office; a tenant admin always sees their own tenant. */
export type AuditLogFilter = {
  /** A user id, or part of a name. */
  actor?: string | null | undefined;
  /** From this instant (ISO 8601, inclusive). */
  from?: string | null | undefined;
  /** Part of the operation name, e.g. WebhookKey. */
  operation?: string | null | undefined;
  tenantId?: string | null | undefined;
  /** Until this instant (ISO 8601, exclusive). */
  to?: string | null | undefined;
};

export type BusinessCalendarInput = {
  closures: Array<string>;
  hours: Array<BusinessHoursInput>;
  nationalHolidays: boolean;
  timezone: string;
};

export type BusinessHoursInput = {
  closesAt?: string | null | undefined;
  /** HH:MM, or null (with closesAt) for a closed weekday. */
  opensAt?: string | null | undefined;
  weekday: number;
};

/** What happened to a call after it rang. */
export type CallUpdateEvent = 'ANSWERED' | 'ENDED' | 'MISSED' | 'TRANSFERRED';

/** Why a caller's number is not shown (非通知 / 表示圏外 / 公衆電話). */
export type CallerIdReason = 'PAYPHONE' | 'UNAVAILABLE' | 'WITHHELD';

export type ContractFilter = {
  /** The plan's code (e.g. CLOUD). */
  planCode?: string | null | undefined;
  status?: ContractStatus | null | undefined;
  /** Provider staff: one tenant's; tenant admins may name only their own. */
  tenantId?: string | null | undefined;
};

export type ContractSort = 'CREATED_AT' | 'SERVICE_START_DATE' | 'STATUS';

export type ContractStatus = 'ACTIVE' | 'TERMINATED';

export type CreateCustomerInput = {
  address?: AddressInput | null | undefined;
  company?: string | null | undefined;
  customFields?: Array<CustomFieldInput> | null | undefined;
  department?: string | null | undefined;
  emails?: Array<string> | null | undefined;
  externalId?: string | null | undefined;
  name: string;
  nameKana?: string | null | undefined;
  notes?: string | null | undefined;
  ownerId?: string | null | undefined;
  phones?: Array<PhoneInput> | null | undefined;
  tags?: Array<string> | null | undefined;
};

export type CustomFieldDefinitionInput = {
  key: string;
  label: string;
  options?: Array<string> | null | undefined;
  position?: number | null | undefined;
  required?: boolean | null | undefined;
  type: CustomFieldType;
};

export type CustomFieldFilter = {
  key: string;
  /** Exact value; for MULTI_SELECT, one of the chosen options. */
  value: string;
};

export type CustomFieldInput = {
  key: string;
  /** For every type but MULTI_SELECT; null clears the field. */
  value?: string | null | undefined;
  /** For MULTI_SELECT. */
  values?: Array<string> | null | undefined;
};

export type CustomFieldType = 'BOOLEAN' | 'DATE' | 'MULTI_SELECT' | 'NUMBER' | 'SELECT' | 'TEXT';

export type CustomerSearch = {
  customField?: CustomFieldFilter | null | undefined;
  /** Any format: 03-1234-5678, 0312345678, +81 3 1234 5678; or part of a number, 4 digits or more (1111). */
  phone?: string | null | undefined;
  tag?: string | null | undefined;
  /** Part of the name, kana reading (katakana or hiragana) or company. */
  text?: string | null | undefined;
};

export type CustomerSort = 'KANA_ASC' | 'KANA_DESC' | 'UPDATED_DESC';

export type DesktopPairingState =
  /** Approved: this answer carries the device credential (only once). */
  | 'APPROVED'
  /** The credential was already delivered. */
  | 'DELIVERED'
  | 'EXPIRED'
  | 'PENDING';

export type DeviceKind = 'MOBILE' | 'WEB';

export type ImportAction = 'CREATE' | 'REJECT' | 'UPDATE';

export type ImportJobStatus = 'FAILED' | 'RUNNING' | 'SUCCEEDED';

export type InteractionUpdateKind =
  /** The customer's profile was corrected. */
  | 'PROFILE_CORRECTED'
  /** An operator took the call. */
  | 'TAKEN'
  /** Notes, outcome or follow-up changed. */
  | 'UPDATED';

export type InvoiceFilter = {
  kind?: InvoiceKind | null | undefined;
  /** YYYY-MM */
  month?: string | null | undefined;
  status?: InvoiceStatus | null | undefined;
  /** Provider staff: one tenant's; tenant admins may name only their own. */
  tenantId?: string | null | undefined;
};

export type InvoiceKind = 'CREDIT_NOTE' | 'INVOICE';

export type InvoiceSettingsInput = {
  bankAccount: string;
  paymentTermDays: number;
  paymentTerms: PaymentTerms;
};

export type InvoiceSort = 'ISSUED_AT' | 'MONTH' | 'NUMBER' | 'STATUS' | 'TOTAL';

export type InvoiceStatus = 'DRAFT' | 'ISSUED' | 'PAID' | 'VOID';

export type ListInput = 'NONE' | 'PER_POPUP' | 'PER_RECORD';

export type LookupDisplayFieldInput = {
  field: string;
  label?: string | null | undefined;
};

export type LookupNotesInput = {
  atField?: string | null | undefined;
  keyField?: string | null | undefined;
  mode: LookupNotesMode;
  outcomeField?: string | null | undefined;
  target?: string | null | undefined;
  textField?: string | null | undefined;
};

/** How notes are written back: NONE; kintone COMMENT or TABLE_ROW; FileMaker RELATED_RECORD; HTTPS POST. */
export type LookupNotesMode = 'COMMENT' | 'NONE' | 'POST' | 'RELATED_RECORD' | 'TABLE_ROW';

export type LookupSourceInput = {
  account?: string | null | undefined;
  appId?: string | null | undefined;
  budgetMs?: number | null | undefined;
  database?: string | null | undefined;
  displayFields: Array<LookupDisplayFieldInput>;
  enabled?: boolean | null | undefined;
  endpoint: string;
  kind: LookupSourceKind;
  layout?: string | null | undefined;
  name: string;
  notes?: LookupNotesInput | null | undefined;
  phoneFields: Array<string>;
  /** kintone: the app's API token; FileMaker: the account's password. Write-only; omitted on update keeps the stored one. */
  secret?: string | null | undefined;
  titleField?: string | null | undefined;
};

export type LookupSourceKind = 'FILEMAKER' | 'HTTPS' | 'KINTONE';

export type NewContractInput = {
  connectionPacks?: number | null | undefined;
  listInput: ListInput;
  planCode: string;
  recipientName: string;
  serviceStartDate: string;
  tenantId: string;
};

export type PageInput = {
  /** 1 to 100 */
  limit?: number | null | undefined;
  offset?: number | null | undefined;
};

export type PaymentTerms =
  /** paymentTermDays days after 発行日 */
  | 'DAYS_AFTER_ISSUE'
  /** 翌月末: the last day of the month after 発行日 */
  | 'END_OF_NEXT_MONTH';

export type PhoneInput = {
  label?: string | null | undefined;
  number: string;
  type?: PhoneType | null | undefined;
};

export type PhoneType = 'FAX' | 'HOME' | 'MOBILE' | 'OTHER' | 'WORK';

export type PlanVersionInput = {
  connectionPriceYen: number;
  effectiveFrom: string;
  initialFeeYen: number;
  listInputPerPopupYen: number;
  listInputPerRecordYen: number;
  maintenanceYen: number;
  minimumTermMonths: number;
  packBillingMonths: number;
  packSize: number;
  popupPrices: PopupPricesInput;
  softwareFeePerPcYen: number;
};

export type PopupClass = 'CUSTOMER' | 'EMPLOYEE' | 'MULTIPLE_MATCHES' | 'NUISANCE' | 'UNKNOWN' | 'WITHHELD';

export type PopupPricesInput = {
  customer: number;
  employee: number;
  multipleMatches: number;
  nuisance: number;
  unknown: number;
  withheld: number;
};

export type Role = 'BACK_OFFICE' | 'OPERATOR' | 'PLATFORM_ADMIN' | 'SALES' | 'TENANT_ADMIN';

export type TenantSort = 'CREATED_AT' | 'NAME';

/** Only the fields given change; null clears an optional field. */
export type UpdateCustomerInput = {
  address?: AddressInput | null | undefined;
  company?: string | null | undefined;
  customFields?: Array<CustomFieldInput> | null | undefined;
  department?: string | null | undefined;
  emails?: Array<string> | null | undefined;
  name?: string | null | undefined;
  nameKana?: string | null | undefined;
  notes?: string | null | undefined;
  ownerId?: string | null | undefined;
  tags?: Array<string> | null | undefined;
};

export type WebhookEndpointInput = {
  description?: string | null | undefined;
  enabled?: boolean | null | undefined;
  eventTypes?: Array<string> | null | undefined;
  url?: string | null | undefined;
};

export type WithheldReason = 'PAYPHONE' | 'UNAVAILABLE' | 'WITHHELD';

export type BackOfficeDashboardQueryVariables = Exact<{ [key: string]: never }>;

export type BackOfficeDashboardQuery = {
  tenants: Array<{ id: string }>;
  billingOverview: {
    drafts: number;
    unpaid: number;
    thisMonth: { month: string; invoicedYen: number; invoices: number };
    lastMonth: { month: string; invoicedYen: number; invoices: number };
  };
};

export type TenantAdminDashboardQueryVariables = Exact<{
  today: string;
  month: string;
  monthStart: string;
  now: string;
}>;

export type TenantAdminDashboardQuery = {
  callsToday: { total: number };
  missedToday: { total: number };
  usage: { days: Array<{ billedPopups: number }> };
  connectionUsage: { peak: number; capacity: number };
};

export type WebhookKeyFieldsFragment = {
  keyId: string;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
  secrets: Array<{ prefix: string; createdAt: string; expiresAt: string | null }>;
};

export type WebhookKeysQueryVariables = Exact<{ [key: string]: never }>;

export type WebhookKeysQuery = {
  webhookKeys: Array<{
    keyId: string;
    label: string | null;
    createdAt: string;
    revokedAt: string | null;
    secrets: Array<{ prefix: string; createdAt: string; expiresAt: string | null }>;
  }>;
};

export type CreateWebhookKeyMutationVariables = Exact<{
  label?: string | null | undefined;
}>;

export type CreateWebhookKeyMutation = {
  createWebhookKey: {
    secret: string;
    key: {
      keyId: string;
      label: string | null;
      createdAt: string;
      revokedAt: string | null;
      secrets: Array<{ prefix: string; createdAt: string; expiresAt: string | null }>;
    };
  };
};

export type RevokeWebhookKeyMutationVariables = Exact<{
  keyId: string;
}>;

export type RevokeWebhookKeyMutation = {
  revokeWebhookKey: {
    keyId: string;
    label: string | null;
    createdAt: string;
    revokedAt: string | null;
    secrets: Array<{ prefix: string; createdAt: string; expiresAt: string | null }>;
  };
};

export type RotateWebhookKeyMutationVariables = Exact<{
  keyId: string;
  graceHours?: number | null | undefined;
}>;

export type RotateWebhookKeyMutation = {
  rotateWebhookKey: {
    secret: string;
    key: {
      keyId: string;
      label: string | null;
      createdAt: string;
      revokedAt: string | null;
      secrets: Array<{ prefix: string; createdAt: string; expiresAt: string | null }>;
    };
  };
};

export type TelephonyAuditLogQueryVariables = Exact<{
  filter?: AuditLogFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;

export type TelephonyAuditLogQuery = {
  telephonyAuditLog: {
    nextCursor: string | null;
    entries: Array<{
      id: string;
      service: string;
      at: string;
      tenantId: string | null;
      actorId: string | null;
      actorName: string | null;
      actorRoles: Array<string>;
      operation: string;
      targets: Array<string>;
      outcome: string;
      arguments: string | null;
    }>;
  };
};

export type CustomersAuditLogQueryVariables = Exact<{
  filter?: AuditLogFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;

export type CustomersAuditLogQuery = {
  customersAuditLog: {
    nextCursor: string | null;
    entries: Array<{
      id: string;
      service: string;
      at: string;
      tenantId: string | null;
      actorId: string | null;
      actorName: string | null;
      actorRoles: Array<string>;
      operation: string;
      targets: Array<string>;
      outcome: string;
      arguments: string | null;
    }>;
  };
};

export type BillingAuditLogQueryVariables = Exact<{
  filter?: AuditLogFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;

export type BillingAuditLogQuery = {
  billingAuditLog: {
    nextCursor: string | null;
    entries: Array<{
      id: string;
      service: string;
      at: string;
      tenantId: string | null;
      actorId: string | null;
      actorName: string | null;
      actorRoles: Array<string>;
      operation: string;
      targets: Array<string>;
      outcome: string;
      arguments: string | null;
    }>;
  };
};

export type LicensingAuditLogQueryVariables = Exact<{
  filter?: AuditLogFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;

export type LicensingAuditLogQuery = {
  licensingAuditLog: {
    nextCursor: string | null;
    entries: Array<{
      id: string;
      service: string;
      at: string;
      tenantId: string | null;
      actorId: string | null;
      actorName: string | null;
      actorRoles: Array<string>;
      operation: string;
      targets: Array<string>;
      outcome: string;
      arguments: string | null;
    }>;
  };
};

export type LoginMutationVariables = Exact<{
  email: string;
  password: string;
}>;

export type LoginMutation = {
  login: {
    accessToken: string;
    expiresAt: number;
    refreshToken: string;
    user: { id: string; name: string; roles: Array<Role>; tenant: { id: string; name: string; timezone: string } };
  };
};

export type LogoutMutationVariables = Exact<{
  refreshToken: string;
}>;

export type LogoutMutation = { logout: boolean };

export type RefreshMutationVariables = Exact<{
  refreshToken: string;
}>;

export type RefreshMutation = {
  refresh: {
    accessToken: string;
    expiresAt: number;
    refreshToken: string;
    user: { id: string; name: string; roles: Array<Role>; tenant: { id: string; name: string; timezone: string } };
  };
};

export type BusinessCalendarQueryVariables = Exact<{ [key: string]: never }>;

export type BusinessCalendarQuery = {
  businessCalendar: {
    timezone: string;
    nationalHolidays: boolean;
    closures: Array<string>;
    hours: Array<{ weekday: number; opensAt: string | null; closesAt: string | null }>;
  };
};

export type UpdateBusinessCalendarMutationVariables = Exact<{
  input: BusinessCalendarInput;
}>;

export type UpdateBusinessCalendarMutation = { updateBusinessCalendar: { timezone: string } };

export type NationalHolidaysQueryVariables = Exact<{
  year: number;
}>;

export type NationalHolidaysQuery = { nationalHolidays: Array<{ date: string; name: string }> };

export type ActiveLeasesQueryVariables = Exact<{ [key: string]: never }>;

export type ActiveLeasesQuery = {
  activeLeases: Array<{ id: string; userName: string; deviceKind: DeviceKind; label: string; since: string }>;
};

export type ConnectedPcsQueryVariables = Exact<{ [key: string]: never }>;

export type ConnectedPcsQuery = {
  seats: Array<{ id: string; name: string; userName: string; connected: boolean; lastSeenAt: string | null }>;
};

export type EndLeaseMutationVariables = Exact<{
  id: string;
}>;

export type EndLeaseMutation = { endLease: boolean };

export type ConnectionUsageQueryVariables = Exact<{
  from: string;
  to: string;
}>;

export type ConnectionUsageQuery = {
  connectionUsage: {
    timeZone: string;
    capacity: number;
    connectionPacks: number;
    peak: number;
    refusals: number;
    dailyPeaks: Array<{ period: string; peak: number }>;
    recommendation: { peak: number; packs: number; capacity: number; refusals: number; exceedsMaximum: boolean };
  };
};

export type TakeCallMutationVariables = Exact<{
  callId: string;
}>;

export type TakeCallMutation = {
  startInteraction: { id: string; handledBy: Array<{ userId: string; name: string | null; since: string }> };
};

export type SaveNotesMutationVariables = Exact<{
  id: string;
  notes?: string | null | undefined;
}>;

export type SaveNotesMutation = { updateInteraction: { id: string } };

export type PopupFieldsFragment = {
  popupId: string;
  callId: string;
  class: PopupClass;
  lineLabel: string | null;
  rangAt: string;
  notesAllowed: boolean;
  interactionId: string | null;
  nuisanceReason: string | null;
  employeeLabel: string | null;
  caller: { raw: string; display: string | null; withheldReason: WithheldReason | null };
  customer: {
    id: string;
    name: string;
    nameKana: string | null;
    company: string | null;
    department: string | null;
    tags: Array<string>;
    phones: Array<{ raw: string; display: string | null; type: PhoneType }> | null;
    address: {
      postalCode: string | null;
      prefecture: string | null;
      city: string | null;
      street: string | null;
      building: string | null;
    } | null;
    customFields: Array<{ key: string; label: string; values: Array<string> }> | null;
  } | null;
  candidates: Array<{
    id: string;
    name: string;
    nameKana: string | null;
    company: string | null;
    department: string | null;
    tags: Array<string>;
    phones: Array<{ raw: string; display: string | null; type: PhoneType }> | null;
    address: {
      postalCode: string | null;
      prefecture: string | null;
      city: string | null;
      street: string | null;
      building: string | null;
    } | null;
    customFields: Array<{ key: string; label: string; values: Array<string> }> | null;
  }>;
  purchases: Array<{ id: string; purchasedOn: string; item: string; quantity: number; amountYen: number }>;
  purchaseTotals: { count: number; lifetimeValueYen: number } | null;
  interactions: Array<{
    id: string;
    occurredAt: string;
    summary: string;
    operatorName: string | null;
    outcome: string | null;
  }>;
  followUps: Array<{ interactionId: string; dueOn: string; assigneeName: string | null; note: string | null }> | null;
  handledBy: Array<{ userId: string; name: string | null; since: string }> | null;
  cards: Array<{
    sourceId: string;
    sourceName: string;
    recordId: string;
    title: string;
    fields: Array<{ label: string; value: string }>;
    links: Array<{ label: string; url: string }>;
  }> | null;
};

export type PopupCustomerFieldsFragment = {
  id: string;
  name: string;
  nameKana: string | null;
  company: string | null;
  department: string | null;
  tags: Array<string>;
  phones: Array<{ raw: string; display: string | null; type: PhoneType }> | null;
  address: {
    postalCode: string | null;
    prefecture: string | null;
    city: string | null;
    street: string | null;
    building: string | null;
  } | null;
  customFields: Array<{ key: string; label: string; values: Array<string> }> | null;
};

export type PopupsSubscriptionVariables = Exact<{ [key: string]: never }>;

export type PopupsSubscription = {
  popups: {
    popupId: string;
    callId: string;
    class: PopupClass;
    lineLabel: string | null;
    rangAt: string;
    notesAllowed: boolean;
    interactionId: string | null;
    nuisanceReason: string | null;
    employeeLabel: string | null;
    caller: { raw: string; display: string | null; withheldReason: WithheldReason | null };
    customer: {
      id: string;
      name: string;
      nameKana: string | null;
      company: string | null;
      department: string | null;
      tags: Array<string>;
      phones: Array<{ raw: string; display: string | null; type: PhoneType }> | null;
      address: {
        postalCode: string | null;
        prefecture: string | null;
        city: string | null;
        street: string | null;
        building: string | null;
      } | null;
      customFields: Array<{ key: string; label: string; values: Array<string> }> | null;
    } | null;
    candidates: Array<{
      id: string;
      name: string;
      nameKana: string | null;
      company: string | null;
      department: string | null;
      tags: Array<string>;
      phones: Array<{ raw: string; display: string | null; type: PhoneType }> | null;
      address: {
        postalCode: string | null;
        prefecture: string | null;
        city: string | null;
        street: string | null;
        building: string | null;
      } | null;
      customFields: Array<{ key: string; label: string; values: Array<string> }> | null;
    }>;
    purchases: Array<{ id: string; purchasedOn: string; item: string; quantity: number; amountYen: number }>;
    purchaseTotals: { count: number; lifetimeValueYen: number } | null;
    interactions: Array<{
      id: string;
      occurredAt: string;
      summary: string;
      operatorName: string | null;
      outcome: string | null;
    }>;
    followUps: Array<{ interactionId: string; dueOn: string; assigneeName: string | null; note: string | null }> | null;
    handledBy: Array<{ userId: string; name: string | null; since: string }> | null;
    cards: Array<{
      sourceId: string;
      sourceName: string;
      recordId: string;
      title: string;
      fields: Array<{ label: string; value: string }>;
      links: Array<{ label: string; url: string }>;
    }> | null;
  };
};

export type PendingPopupsQueryVariables = Exact<{
  since: string;
}>;

export type PendingPopupsQuery = {
  pendingPopups: Array<{
    popupId: string;
    callId: string;
    class: PopupClass;
    lineLabel: string | null;
    rangAt: string;
    notesAllowed: boolean;
    interactionId: string | null;
    nuisanceReason: string | null;
    employeeLabel: string | null;
    caller: { raw: string; display: string | null; withheldReason: WithheldReason | null };
    customer: {
      id: string;
      name: string;
      nameKana: string | null;
      company: string | null;
      department: string | null;
      tags: Array<string>;
      phones: Array<{ raw: string; display: string | null; type: PhoneType }> | null;
      address: {
        postalCode: string | null;
        prefecture: string | null;
        city: string | null;
        street: string | null;
        building: string | null;
      } | null;
      customFields: Array<{ key: string; label: string; values: Array<string> }> | null;
    } | null;
    candidates: Array<{
      id: string;
      name: string;
      nameKana: string | null;
      company: string | null;
      department: string | null;
      tags: Array<string>;
      phones: Array<{ raw: string; display: string | null; type: PhoneType }> | null;
      address: {
        postalCode: string | null;
        prefecture: string | null;
        city: string | null;
        street: string | null;
        building: string | null;
      } | null;
      customFields: Array<{ key: string; label: string; values: Array<string> }> | null;
    }>;
    purchases: Array<{ id: string; purchasedOn: string; item: string; quantity: number; amountYen: number }>;
    purchaseTotals: { count: number; lifetimeValueYen: number } | null;
    interactions: Array<{
      id: string;
      occurredAt: string;
      summary: string;
      operatorName: string | null;
      outcome: string | null;
    }>;
    followUps: Array<{ interactionId: string; dueOn: string; assigneeName: string | null; note: string | null }> | null;
    handledBy: Array<{ userId: string; name: string | null; since: string }> | null;
    cards: Array<{
      sourceId: string;
      sourceName: string;
      recordId: string;
      title: string;
      fields: Array<{ label: string; value: string }>;
      links: Array<{ label: string; url: string }>;
    }> | null;
  }>;
};

export type MissedCallsQueryVariables = Exact<{
  since: string;
}>;

export type MissedCallsQuery = {
  missedCalls: Array<{
    seen: boolean;
    call: {
      id: string;
      ringingAt: string;
      from: { raw: string; display: string | null; e164: string | null; withheldReason: CallerIdReason | null };
      line: { label: string | null } | null;
    };
  }>;
};

export type MarkMissedCallsSeenMutationVariables = Exact<{
  callIds: Array<string> | string;
}>;

export type MarkMissedCallsSeenMutation = { markMissedCallsSeen: number };

export type CreateUnknownCallerMutationVariables = Exact<{
  input: CreateCustomerInput;
}>;

export type CreateUnknownCallerMutation = { createCustomer: { id: string; name: string } };

export type CustomerHistoryQueryVariables = Exact<{
  id: string;
}>;

export type CustomerHistoryQuery = {
  customer: {
    id: string;
    purchases: Array<{ id: string; purchasedOn: string; item: string; quantity: number; amountYen: number }>;
    purchaseTotals: { count: number; lifetimeValueYen: number };
    interactions: Array<{
      id: string;
      occurredAt: string;
      summary: string;
      operatorName: string | null;
      outcome: string | null;
    }>;
  } | null;
};

export type CallUpdatesSubscriptionVariables = Exact<{ [key: string]: never }>;

export type CallUpdatesSubscription = {
  callUpdates: {
    callId: string;
    event: CallUpdateEvent;
    at: string;
    operatorId: string | null;
    extension: string | null;
    lineLabel: string | null;
  };
};

export type InteractionUpdatesSubscriptionVariables = Exact<{ [key: string]: never }>;

export type InteractionUpdatesSubscription = {
  interactionUpdates: {
    kind: InteractionUpdateKind;
    callId: string | null;
    popupId: string | null;
    interactionId: string | null;
    at: string;
    by: { userId: string; name: string | null };
    handledBy: Array<{ userId: string; name: string | null; since: string }>;
  };
};

export type ContractFieldsFragment = {
  id: string;
  tenantId: string;
  recipientName: string;
  serviceStartDate: string;
  listInput: ListInput;
  status: ContractStatus;
  connectionCapacity: number;
  minimumTermFrom: string;
  minimumTermTo: string;
  endMonth: string | null;
  terminationFeeYen: number | null;
  planVersion: { id: string; version: number; plan: { code: string; name: string } };
  connectionPacks: Array<{ id: string; purchasedOn: string }>;
  tenant: { id: string; name: string } | null;
};

export type ContractByIdQueryVariables = Exact<{
  id: string;
}>;

export type ContractByIdQuery = {
  contractById: {
    id: string;
    tenantId: string;
    recipientName: string;
    serviceStartDate: string;
    listInput: ListInput;
    status: ContractStatus;
    connectionCapacity: number;
    minimumTermFrom: string;
    minimumTermTo: string;
    endMonth: string | null;
    terminationFeeYen: number | null;
    planVersion: { id: string; version: number; plan: { code: string; name: string } };
    connectionPacks: Array<{ id: string; purchasedOn: string }>;
    tenant: { id: string; name: string } | null;
  } | null;
};

export type ContractPageQueryVariables = Exact<{
  filter?: ContractFilter | null | undefined;
  offset?: number | null | undefined;
  limit?: number | null | undefined;
  sort?: ContractSort | null | undefined;
  descending?: boolean | null | undefined;
}>;

export type ContractPageQuery = {
  contractPage: {
    total: number;
    items: Array<{
      id: string;
      tenantId: string;
      recipientName: string;
      serviceStartDate: string;
      listInput: ListInput;
      status: ContractStatus;
      connectionCapacity: number;
      minimumTermFrom: string;
      minimumTermTo: string;
      endMonth: string | null;
      terminationFeeYen: number | null;
      planVersion: { id: string; version: number; plan: { code: string; name: string } };
      connectionPacks: Array<{ id: string; purchasedOn: string }>;
      tenant: { id: string; name: string } | null;
    }>;
  };
};

export type ContractHistoryQueryVariables = Exact<{
  tenantId?: string | null | undefined;
  status?: ContractStatus | null | undefined;
}>;

export type ContractHistoryQuery = {
  contracts: Array<{
    id: string;
    status: ContractStatus;
    serviceStartDate: string;
    endMonth: string | null;
    terminationFeeYen: number | null;
    planVersion: { id: string; version: number; plan: { code: string; name: string } };
  }>;
};

export type CreateContractMutationVariables = Exact<{
  input: NewContractInput;
}>;

export type CreateContractMutation = {
  createContract: {
    id: string;
    tenantId: string;
    recipientName: string;
    serviceStartDate: string;
    listInput: ListInput;
    status: ContractStatus;
    connectionCapacity: number;
    minimumTermFrom: string;
    minimumTermTo: string;
    endMonth: string | null;
    terminationFeeYen: number | null;
    planVersion: { id: string; version: number; plan: { code: string; name: string } };
    connectionPacks: Array<{ id: string; purchasedOn: string }>;
    tenant: { id: string; name: string } | null;
  };
};

export type PreviewTerminationQueryVariables = Exact<{
  contractId: string;
  endMonth: string;
}>;

export type PreviewTerminationQuery = {
  previewTermination: { endMonth: string; minimumTermTo: string; monthsRemaining: number; feeYen: number };
};

export type TerminateContractMutationVariables = Exact<{
  contractId: string;
  endMonth: string;
  expectedFeeYen: number;
}>;

export type TerminateContractMutation = {
  terminateContract: {
    id: string;
    tenantId: string;
    recipientName: string;
    serviceStartDate: string;
    listInput: ListInput;
    status: ContractStatus;
    connectionCapacity: number;
    minimumTermFrom: string;
    minimumTermTo: string;
    endMonth: string | null;
    terminationFeeYen: number | null;
    planVersion: { id: string; version: number; plan: { code: string; name: string } };
    connectionPacks: Array<{ id: string; purchasedOn: string }>;
    tenant: { id: string; name: string } | null;
  };
};

export type CustomFieldDefinitionsQueryVariables = Exact<{ [key: string]: never }>;

export type CustomFieldDefinitionsQuery = {
  customFieldDefinitions: Array<{
    id: string;
    key: string;
    label: string;
    type: CustomFieldType;
    options: Array<string>;
    required: boolean;
    position: number;
  }>;
};

export type DefineCustomFieldMutationVariables = Exact<{
  input: CustomFieldDefinitionInput;
}>;

export type DefineCustomFieldMutation = {
  defineCustomField: {
    id: string;
    key: string;
    label: string;
    type: CustomFieldType;
    options: Array<string>;
    required: boolean;
    position: number;
  };
};

export type RemoveCustomFieldMutationVariables = Exact<{
  key: string;
}>;

export type RemoveCustomFieldMutation = { removeCustomField: boolean };

export type ImportReportFieldsFragment = {
  jobId: string;
  dryRun: boolean;
  created: number;
  updated: number;
  rejected: number;
  recordsKeyed: number;
  unmappedColumns: Array<string>;
  rowsTruncated: boolean;
  rows: Array<{
    line: number;
    action: ImportAction;
    externalId: string | null;
    name: string | null;
    problems: Array<string>;
  }>;
};

export type ImportJobProgressQueryVariables = Exact<{
  id: string;
}>;

export type ImportJobProgressQuery = {
  importJob: {
    id: string;
    status: ImportJobStatus;
    bytesTotal: number | null;
    bytesRead: number;
    rowsProcessed: number;
    created: number;
    updated: number;
    rejected: number;
    errorCode: string | null;
    errorMessage: string | null;
  } | null;
};

export type CustomerFieldsFragment = {
  id: string;
  externalId: string | null;
  name: string;
  nameKana: string | null;
  company: string | null;
  department: string | null;
  emails: Array<string>;
  tags: Array<string>;
  notes: string | null;
  lastPurchaseOn: string | null;
  updatedAt: string;
  phones: Array<{ id: string; raw: string; display: string | null; type: PhoneType; label: string | null }>;
  address: {
    postalCode: string | null;
    prefecture: string | null;
    city: string | null;
    street: string | null;
    building: string | null;
  } | null;
  customFields: Array<{ key: string; label: string; type: CustomFieldType; values: Array<string> }>;
};

export type CustomersQueryVariables = Exact<{
  search?: CustomerSearch | null | undefined;
  page?: PageInput | null | undefined;
  sort?: CustomerSort | null | undefined;
}>;

export type CustomersQuery = {
  customers: {
    total: number;
    items: Array<{
      id: string;
      externalId: string | null;
      name: string;
      nameKana: string | null;
      company: string | null;
      department: string | null;
      emails: Array<string>;
      tags: Array<string>;
      notes: string | null;
      lastPurchaseOn: string | null;
      updatedAt: string;
      phones: Array<{ id: string; raw: string; display: string | null; type: PhoneType; label: string | null }>;
      address: {
        postalCode: string | null;
        prefecture: string | null;
        city: string | null;
        street: string | null;
        building: string | null;
      } | null;
      customFields: Array<{ key: string; label: string; type: CustomFieldType; values: Array<string> }>;
    }>;
  };
};

export type CustomerQueryVariables = Exact<{
  id: string;
}>;

export type CustomerQuery = {
  customer: {
    id: string;
    externalId: string | null;
    name: string;
    nameKana: string | null;
    company: string | null;
    department: string | null;
    emails: Array<string>;
    tags: Array<string>;
    notes: string | null;
    lastPurchaseOn: string | null;
    updatedAt: string;
    phones: Array<{ id: string; raw: string; display: string | null; type: PhoneType; label: string | null }>;
    address: {
      postalCode: string | null;
      prefecture: string | null;
      city: string | null;
      street: string | null;
      building: string | null;
    } | null;
    customFields: Array<{ key: string; label: string; type: CustomFieldType; values: Array<string> }>;
  } | null;
};

export type CreateCustomerMutationVariables = Exact<{
  input: CreateCustomerInput;
}>;

export type CreateCustomerMutation = {
  createCustomer: {
    id: string;
    externalId: string | null;
    name: string;
    nameKana: string | null;
    company: string | null;
    department: string | null;
    emails: Array<string>;
    tags: Array<string>;
    notes: string | null;
    lastPurchaseOn: string | null;
    updatedAt: string;
    phones: Array<{ id: string; raw: string; display: string | null; type: PhoneType; label: string | null }>;
    address: {
      postalCode: string | null;
      prefecture: string | null;
      city: string | null;
      street: string | null;
      building: string | null;
    } | null;
    customFields: Array<{ key: string; label: string; type: CustomFieldType; values: Array<string> }>;
  };
};

export type UpdateCustomerMutationVariables = Exact<{
  id: string;
  input: UpdateCustomerInput;
}>;

export type UpdateCustomerMutation = {
  updateCustomer: {
    id: string;
    externalId: string | null;
    name: string;
    nameKana: string | null;
    company: string | null;
    department: string | null;
    emails: Array<string>;
    tags: Array<string>;
    notes: string | null;
    lastPurchaseOn: string | null;
    updatedAt: string;
    phones: Array<{ id: string; raw: string; display: string | null; type: PhoneType; label: string | null }>;
    address: {
      postalCode: string | null;
      prefecture: string | null;
      city: string | null;
      street: string | null;
      building: string | null;
    } | null;
    customFields: Array<{ key: string; label: string; type: CustomFieldType; values: Array<string> }>;
  };
};

export type AddCustomerPhoneMutationVariables = Exact<{
  customerId: string;
  phone: PhoneInput;
}>;

export type AddCustomerPhoneMutation = {
  addPhoneNumber: {
    id: string;
    externalId: string | null;
    name: string;
    nameKana: string | null;
    company: string | null;
    department: string | null;
    emails: Array<string>;
    tags: Array<string>;
    notes: string | null;
    lastPurchaseOn: string | null;
    updatedAt: string;
    phones: Array<{ id: string; raw: string; display: string | null; type: PhoneType; label: string | null }>;
    address: {
      postalCode: string | null;
      prefecture: string | null;
      city: string | null;
      street: string | null;
      building: string | null;
    } | null;
    customFields: Array<{ key: string; label: string; type: CustomFieldType; values: Array<string> }>;
  };
};

export type CustomersByPhoneQueryVariables = Exact<{
  number: string;
  exceptCustomerId?: string | null | undefined;
}>;

export type CustomersByPhoneQuery = { customersByPhone: Array<{ id: string; name: string }> };

export type RemoveCustomerPhoneMutationVariables = Exact<{
  customerId: string;
  phoneId: string;
}>;

export type RemoveCustomerPhoneMutation = {
  removeCustomerPhone: {
    id: string;
    externalId: string | null;
    name: string;
    nameKana: string | null;
    company: string | null;
    department: string | null;
    emails: Array<string>;
    tags: Array<string>;
    notes: string | null;
    lastPurchaseOn: string | null;
    updatedAt: string;
    phones: Array<{ id: string; raw: string; display: string | null; type: PhoneType; label: string | null }>;
    address: {
      postalCode: string | null;
      prefecture: string | null;
      city: string | null;
      street: string | null;
      building: string | null;
    } | null;
    customFields: Array<{ key: string; label: string; type: CustomFieldType; values: Array<string> }>;
  };
};

export type DeleteCustomerMutationVariables = Exact<{
  id: string;
}>;

export type DeleteCustomerMutation = { deleteCustomer: boolean };

export type LookupCardFieldsFragment = {
  sourceId: string;
  sourceName: string;
  recordId: string;
  title: string;
  fields: Array<{ label: string; value: string }>;
  links: Array<{ label: string; url: string }>;
};

export type LookupSourceFieldsFragment = {
  id: string;
  name: string;
  kind: LookupSourceKind;
  enabled: boolean;
  budgetMs: number;
  endpoint: string;
  appId: string | null;
  database: string | null;
  layout: string | null;
  account: string | null;
  phoneFields: Array<string>;
  titleField: string | null;
  lastOkAt: string | null;
  circuitOpen: boolean;
  updatedAt: string;
  displayFields: Array<{ field: string; label: string }>;
  notes: {
    mode: LookupNotesMode;
    target: string | null;
    textField: string | null;
    outcomeField: string | null;
    atField: string | null;
    keyField: string | null;
  };
  lastError: { code: string; message: string; detail: string | null; at: string | null } | null;
};

export type LookupSourcesQueryVariables = Exact<{ [key: string]: never }>;

export type LookupSourcesQuery = {
  lookupSources: Array<{
    id: string;
    name: string;
    kind: LookupSourceKind;
    enabled: boolean;
    budgetMs: number;
    endpoint: string;
    appId: string | null;
    database: string | null;
    layout: string | null;
    account: string | null;
    phoneFields: Array<string>;
    titleField: string | null;
    lastOkAt: string | null;
    circuitOpen: boolean;
    updatedAt: string;
    displayFields: Array<{ field: string; label: string }>;
    notes: {
      mode: LookupNotesMode;
      target: string | null;
      textField: string | null;
      outcomeField: string | null;
      atField: string | null;
      keyField: string | null;
    };
    lastError: { code: string; message: string; detail: string | null; at: string | null } | null;
  }>;
};

export type CreateLookupSourceMutationVariables = Exact<{
  input: LookupSourceInput;
}>;

export type CreateLookupSourceMutation = {
  createLookupSource: {
    signingSecret: string | null;
    source: {
      id: string;
      name: string;
      kind: LookupSourceKind;
      enabled: boolean;
      budgetMs: number;
      endpoint: string;
      appId: string | null;
      database: string | null;
      layout: string | null;
      account: string | null;
      phoneFields: Array<string>;
      titleField: string | null;
      lastOkAt: string | null;
      circuitOpen: boolean;
      updatedAt: string;
      displayFields: Array<{ field: string; label: string }>;
      notes: {
        mode: LookupNotesMode;
        target: string | null;
        textField: string | null;
        outcomeField: string | null;
        atField: string | null;
        keyField: string | null;
      };
      lastError: { code: string; message: string; detail: string | null; at: string | null } | null;
    };
  };
};

export type UpdateLookupSourceMutationVariables = Exact<{
  id: string;
  input: LookupSourceInput;
}>;

export type UpdateLookupSourceMutation = {
  updateLookupSource: {
    id: string;
    name: string;
    kind: LookupSourceKind;
    enabled: boolean;
    budgetMs: number;
    endpoint: string;
    appId: string | null;
    database: string | null;
    layout: string | null;
    account: string | null;
    phoneFields: Array<string>;
    titleField: string | null;
    lastOkAt: string | null;
    circuitOpen: boolean;
    updatedAt: string;
    displayFields: Array<{ field: string; label: string }>;
    notes: {
      mode: LookupNotesMode;
      target: string | null;
      textField: string | null;
      outcomeField: string | null;
      atField: string | null;
      keyField: string | null;
    };
    lastError: { code: string; message: string; detail: string | null; at: string | null } | null;
  };
};

export type DeleteLookupSourceMutationVariables = Exact<{
  id: string;
}>;

export type DeleteLookupSourceMutation = { deleteLookupSource: boolean };

export type TryLookupSourceMutationVariables = Exact<{
  id: string;
  number: string;
  line?: string | null | undefined;
}>;

export type TryLookupSourceMutation = {
  tryLookupSource: {
    elapsedMs: number;
    withinBudget: boolean;
    cards: Array<{
      sourceId: string;
      sourceName: string;
      recordId: string;
      title: string;
      fields: Array<{ label: string; value: string }>;
      links: Array<{ label: string; url: string }>;
    }>;
    error: { code: string; message: string; detail: string | null } | null;
  };
};

export type WebhookEndpointFieldsFragment = {
  id: string;
  url: string;
  description: string;
  eventTypes: Array<string>;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  failedInARow: number;
  createdAt: string;
};

export type WebhookEndpointsQueryVariables = Exact<{ [key: string]: never }>;

export type WebhookEndpointsQuery = {
  webhookEventTypes: Array<string>;
  webhookEndpoints: Array<{
    id: string;
    url: string;
    description: string;
    eventTypes: Array<string>;
    enabled: boolean;
    disabledReason: string | null;
    disabledAt: string | null;
    failedInARow: number;
    createdAt: string;
  }>;
};

export type CreateWebhookEndpointMutationVariables = Exact<{
  input: WebhookEndpointInput;
}>;

export type CreateWebhookEndpointMutation = {
  createWebhookEndpoint: {
    secret: string;
    endpoint: {
      id: string;
      url: string;
      description: string;
      eventTypes: Array<string>;
      enabled: boolean;
      disabledReason: string | null;
      disabledAt: string | null;
      failedInARow: number;
      createdAt: string;
    };
  };
};

export type UpdateWebhookEndpointMutationVariables = Exact<{
  id: string;
  input: WebhookEndpointInput;
}>;

export type UpdateWebhookEndpointMutation = {
  updateWebhookEndpoint: {
    id: string;
    url: string;
    description: string;
    eventTypes: Array<string>;
    enabled: boolean;
    disabledReason: string | null;
    disabledAt: string | null;
    failedInARow: number;
    createdAt: string;
  };
};

export type DeleteWebhookEndpointMutationVariables = Exact<{
  id: string;
}>;

export type DeleteWebhookEndpointMutation = { deleteWebhookEndpoint: boolean };

export type SendTestWebhookMutationVariables = Exact<{
  endpointId: string;
}>;

export type SendTestWebhookMutation = { sendTestWebhook: { id: string } };

export type ReplayWebhookDeliveryMutationVariables = Exact<{
  id: string;
}>;

export type ReplayWebhookDeliveryMutation = { replayWebhookDelivery: { id: string } };

export type WebhookDeliveriesQueryVariables = Exact<{
  endpointId?: string | null | undefined;
  limit?: number | null | undefined;
}>;

export type WebhookDeliveriesQuery = {
  webhookDeliveries: Array<{
    id: string;
    endpointId: string;
    eventId: string;
    eventType: string;
    status: string;
    attempts: number;
    nextAttemptAt: string | null;
    lastAttemptAt: string | null;
    deliveredAt: string | null;
    responseStatus: number | null;
    latencyMs: number | null;
    responseExcerpt: string | null;
    lastError: string | null;
    replayOf: string | null;
    createdAt: string;
  }>;
};

export type InvitationsQueryVariables = Exact<{ [key: string]: never }>;

export type InvitationsQuery = {
  invitations: Array<{
    id: string;
    email: string;
    name: string;
    roles: Array<Role>;
    invitedAt: string;
    expiresAt: string;
  }>;
};

export type ResendInvitationMutationVariables = Exact<{
  id: string;
}>;

export type ResendInvitationMutation = {
  resendInvitation: {
    id: string;
    email: string;
    name: string;
    roles: Array<Role>;
    invitedAt: string;
    expiresAt: string;
  };
};

export type CancelInvitationMutationVariables = Exact<{
  id: string;
}>;

export type CancelInvitationMutation = { cancelInvitation: boolean };

export type AcceptInvitationMutationVariables = Exact<{
  token: string;
  password: string;
}>;

export type AcceptInvitationMutation = {
  acceptInvitation: {
    accessToken: string;
    expiresAt: number;
    refreshToken: string;
    user: { id: string; name: string; roles: Array<Role>; tenant: { id: string; name: string; timezone: string } };
  };
};

export type ResetPasswordMutationVariables = Exact<{
  token: string;
  password: string;
}>;

export type ResetPasswordMutation = { resetPassword: boolean };

export type CreatePasswordResetMutationVariables = Exact<{
  userId: string;
}>;

export type CreatePasswordResetMutation = { createPasswordReset: { sentTo: string; expiresAt: string } };

export type InvoiceFieldsFragment = {
  id: string;
  tenantId: string;
  kind: InvoiceKind;
  status: InvoiceStatus;
  number: string | null;
  month: string;
  recipientName: string;
  periodStart: string;
  periodEnd: string;
  subtotalYen: number;
  taxYen: number;
  totalYen: number;
  creditedInvoiceId: string | null;
  reason: string | null;
  issuedAt: string | null;
  paymentDueDate: string | null;
  pdfPath: string;
  lines: Array<{
    kind: string;
    description: string;
    quantity: number;
    unitPriceYen: number;
    amountYen: number;
    taxRatePercent: number;
  }>;
  taxes: Array<{ taxRatePercent: number; subtotalYen: number; taxYen: number }>;
  tenant: { id: string; name: string } | null;
};

export type InvoicePageQueryVariables = Exact<{
  filter?: InvoiceFilter | null | undefined;
  offset?: number | null | undefined;
  limit?: number | null | undefined;
  sort?: InvoiceSort | null | undefined;
  descending?: boolean | null | undefined;
}>;

export type InvoicePageQuery = {
  invoicePage: {
    total: number;
    byStatus: Array<{ status: InvoiceStatus; count: number; totalYen: number }>;
    items: Array<{
      id: string;
      tenantId: string;
      kind: InvoiceKind;
      status: InvoiceStatus;
      number: string | null;
      month: string;
      recipientName: string;
      periodStart: string;
      periodEnd: string;
      subtotalYen: number;
      taxYen: number;
      totalYen: number;
      creditedInvoiceId: string | null;
      reason: string | null;
      issuedAt: string | null;
      paymentDueDate: string | null;
      pdfPath: string;
      lines: Array<{
        kind: string;
        description: string;
        quantity: number;
        unitPriceYen: number;
        amountYen: number;
        taxRatePercent: number;
      }>;
      taxes: Array<{ taxRatePercent: number; subtotalYen: number; taxYen: number }>;
      tenant: { id: string; name: string } | null;
    }>;
  };
};

export type InvoiceByIdQueryVariables = Exact<{
  id: string;
}>;

export type InvoiceByIdQuery = {
  invoice: {
    id: string;
    tenantId: string;
    kind: InvoiceKind;
    status: InvoiceStatus;
    number: string | null;
    month: string;
    recipientName: string;
    periodStart: string;
    periodEnd: string;
    subtotalYen: number;
    taxYen: number;
    totalYen: number;
    creditedInvoiceId: string | null;
    reason: string | null;
    issuedAt: string | null;
    paymentDueDate: string | null;
    pdfPath: string;
    lines: Array<{
      kind: string;
      description: string;
      quantity: number;
      unitPriceYen: number;
      amountYen: number;
      taxRatePercent: number;
    }>;
    taxes: Array<{ taxRatePercent: number; subtotalYen: number; taxYen: number }>;
    tenant: { id: string; name: string } | null;
  };
};

export type IssueInvoicesMutationVariables = Exact<{
  ids: Array<string> | string;
}>;

export type IssueInvoicesMutation = {
  issueInvoices: {
    issued: Array<{ id: string; number: string | null }>;
    failed: Array<{ invoiceId: string; code: string; message: string }>;
  };
};

export type InvoiceSettingsFieldsFragment = {
  paymentTerms: PaymentTerms;
  paymentTermDays: number;
  bankAccount: string;
  updatedAt: string | null;
};

export type InvoiceSettingsQueryVariables = Exact<{ [key: string]: never }>;

export type InvoiceSettingsQuery = {
  invoiceSettings: {
    paymentTerms: PaymentTerms;
    paymentTermDays: number;
    bankAccount: string;
    updatedAt: string | null;
  };
};

export type UpdateInvoiceSettingsMutationVariables = Exact<{
  input: InvoiceSettingsInput;
}>;

export type UpdateInvoiceSettingsMutation = {
  updateInvoiceSettings: {
    paymentTerms: PaymentTerms;
    paymentTermDays: number;
    bankAccount: string;
    updatedAt: string | null;
  };
};

export type CloseMonthMutationVariables = Exact<{
  tenantId: string;
  month: string;
}>;

export type CloseMonthMutation = {
  closeMonth: {
    id: string;
    tenantId: string;
    kind: InvoiceKind;
    status: InvoiceStatus;
    number: string | null;
    month: string;
    recipientName: string;
    periodStart: string;
    periodEnd: string;
    subtotalYen: number;
    taxYen: number;
    totalYen: number;
    creditedInvoiceId: string | null;
    reason: string | null;
    issuedAt: string | null;
    paymentDueDate: string | null;
    pdfPath: string;
    lines: Array<{
      kind: string;
      description: string;
      quantity: number;
      unitPriceYen: number;
      amountYen: number;
      taxRatePercent: number;
    }>;
    taxes: Array<{ taxRatePercent: number; subtotalYen: number; taxYen: number }>;
    tenant: { id: string; name: string } | null;
  };
};

export type IssueInvoiceMutationVariables = Exact<{
  id: string;
}>;

export type IssueInvoiceMutation = {
  issueInvoice: {
    id: string;
    tenantId: string;
    kind: InvoiceKind;
    status: InvoiceStatus;
    number: string | null;
    month: string;
    recipientName: string;
    periodStart: string;
    periodEnd: string;
    subtotalYen: number;
    taxYen: number;
    totalYen: number;
    creditedInvoiceId: string | null;
    reason: string | null;
    issuedAt: string | null;
    paymentDueDate: string | null;
    pdfPath: string;
    lines: Array<{
      kind: string;
      description: string;
      quantity: number;
      unitPriceYen: number;
      amountYen: number;
      taxRatePercent: number;
    }>;
    taxes: Array<{ taxRatePercent: number; subtotalYen: number; taxYen: number }>;
    tenant: { id: string; name: string } | null;
  };
};

export type VoidInvoiceMutationVariables = Exact<{
  id: string;
  reason: string;
}>;

export type VoidInvoiceMutation = {
  voidInvoice: {
    id: string;
    tenantId: string;
    kind: InvoiceKind;
    status: InvoiceStatus;
    number: string | null;
    month: string;
    recipientName: string;
    periodStart: string;
    periodEnd: string;
    subtotalYen: number;
    taxYen: number;
    totalYen: number;
    creditedInvoiceId: string | null;
    reason: string | null;
    issuedAt: string | null;
    paymentDueDate: string | null;
    pdfPath: string;
    lines: Array<{
      kind: string;
      description: string;
      quantity: number;
      unitPriceYen: number;
      amountYen: number;
      taxRatePercent: number;
    }>;
    taxes: Array<{ taxRatePercent: number; subtotalYen: number; taxYen: number }>;
    tenant: { id: string; name: string } | null;
  };
};

export type CreateCreditNoteMutationVariables = Exact<{
  invoiceId: string;
  description: string;
  amountYen: number;
}>;

export type CreateCreditNoteMutation = {
  createCreditNote: {
    id: string;
    tenantId: string;
    kind: InvoiceKind;
    status: InvoiceStatus;
    number: string | null;
    month: string;
    recipientName: string;
    periodStart: string;
    periodEnd: string;
    subtotalYen: number;
    taxYen: number;
    totalYen: number;
    creditedInvoiceId: string | null;
    reason: string | null;
    issuedAt: string | null;
    paymentDueDate: string | null;
    pdfPath: string;
    lines: Array<{
      kind: string;
      description: string;
      quantity: number;
      unitPriceYen: number;
      amountYen: number;
      taxRatePercent: number;
    }>;
    taxes: Array<{ taxRatePercent: number; subtotalYen: number; taxYen: number }>;
    tenant: { id: string; name: string } | null;
  };
};

export type LineFieldsFragment = {
  id: string;
  label: string | null;
  number: { raw: string; display: string | null; e164: string | null };
};

export type LinesQueryVariables = Exact<{ [key: string]: never }>;

export type LinesQuery = {
  me: {
    tenant: {
      id: string;
      lines: Array<{
        id: string;
        label: string | null;
        number: { raw: string; display: string | null; e164: string | null };
      }>;
    };
  };
};

export type AddLineMutationVariables = Exact<{
  number: string;
  label?: string | null | undefined;
}>;

export type AddLineMutation = {
  addLine: { id: string; label: string | null; number: { raw: string; display: string | null; e164: string | null } };
};

export type RelabelLineMutationVariables = Exact<{
  id: string;
  label?: string | null | undefined;
}>;

export type RelabelLineMutation = {
  relabelLine: {
    id: string;
    label: string | null;
    number: { raw: string; display: string | null; e164: string | null };
  };
};

export type RemoveLineMutationVariables = Exact<{
  id: string;
}>;

export type RemoveLineMutation = { removeLine: boolean };

export type EmployeeNumbersQueryVariables = Exact<{ [key: string]: never }>;

export type EmployeeNumbersQuery = {
  employeeNumbers: Array<{ id: string; raw: string; display: string | null; label: string | null; createdAt: string }>;
};

export type AddEmployeeNumberMutationVariables = Exact<{
  number: string;
  label?: string | null | undefined;
}>;

export type AddEmployeeNumberMutation = {
  addEmployeeNumber: { id: string; raw: string; display: string | null; label: string | null; createdAt: string };
};

export type RemoveEmployeeNumberMutationVariables = Exact<{
  id: string;
}>;

export type RemoveEmployeeNumberMutation = { removeEmployeeNumber: boolean };

export type NuisanceNumbersQueryVariables = Exact<{ [key: string]: never }>;

export type NuisanceNumbersQuery = {
  nuisanceNumbers: Array<{ id: string; raw: string; display: string | null; reason: string; createdAt: string }>;
};

export type AddNuisanceNumberMutationVariables = Exact<{
  number: string;
  reason: string;
}>;

export type AddNuisanceNumberMutation = {
  addNuisanceNumber: { id: string; raw: string; display: string | null; reason: string; createdAt: string };
};

export type RemoveNuisanceNumberMutationVariables = Exact<{
  id: string;
}>;

export type RemoveNuisanceNumberMutation = { removeNuisanceNumber: boolean };

export type PlanVersionFieldsFragment = {
  id: string;
  version: number;
  effectiveFrom: string;
  initialFeeYen: number;
  maintenanceYen: number;
  softwareFeePerPcYen: number;
  connectionPriceYen: number;
  packSize: number;
  packBillingMonths: number;
  minimumTermMonths: number;
  listInputPerPopupYen: number;
  listInputPerRecordYen: number;
  popupPrices: {
    customer: number;
    multipleMatches: number;
    unknown: number;
    withheld: number;
    employee: number;
    nuisance: number;
  };
};

export type PlansQueryVariables = Exact<{ [key: string]: never }>;

export type PlansQuery = {
  plans: Array<{
    id: string;
    code: string;
    name: string;
    versions: Array<{
      id: string;
      version: number;
      effectiveFrom: string;
      initialFeeYen: number;
      maintenanceYen: number;
      softwareFeePerPcYen: number;
      connectionPriceYen: number;
      packSize: number;
      packBillingMonths: number;
      minimumTermMonths: number;
      listInputPerPopupYen: number;
      listInputPerRecordYen: number;
      popupPrices: {
        customer: number;
        multipleMatches: number;
        unknown: number;
        withheld: number;
        employee: number;
        nuisance: number;
      };
    }>;
  }>;
};

export type CreatePlanMutationVariables = Exact<{
  code: string;
  name: string;
  firstVersion: PlanVersionInput;
}>;

export type CreatePlanMutation = {
  createPlan: {
    id: string;
    code: string;
    name: string;
    versions: Array<{
      id: string;
      version: number;
      effectiveFrom: string;
      initialFeeYen: number;
      maintenanceYen: number;
      softwareFeePerPcYen: number;
      connectionPriceYen: number;
      packSize: number;
      packBillingMonths: number;
      minimumTermMonths: number;
      listInputPerPopupYen: number;
      listInputPerRecordYen: number;
      popupPrices: {
        customer: number;
        multipleMatches: number;
        unknown: number;
        withheld: number;
        employee: number;
        nuisance: number;
      };
    }>;
  };
};

export type AddPlanVersionMutationVariables = Exact<{
  planId: string;
  input: PlanVersionInput;
}>;

export type AddPlanVersionMutation = {
  addPlanVersion: {
    id: string;
    version: number;
    effectiveFrom: string;
    initialFeeYen: number;
    maintenanceYen: number;
    softwareFeePerPcYen: number;
    connectionPriceYen: number;
    packSize: number;
    packBillingMonths: number;
    minimumTermMonths: number;
    listInputPerPopupYen: number;
    listInputPerRecordYen: number;
    popupPrices: {
      customer: number;
      multipleMatches: number;
      unknown: number;
      withheld: number;
      employee: number;
      nuisance: number;
    };
  };
};

export type SeatFieldsFragment = {
  id: string;
  deviceId: string;
  name: string;
  userId: string;
  registeredAt: string;
  deregisteredAt: string | null;
  paired: boolean;
  lastSeenAt: string | null;
  connected: boolean;
};

export type SeatsQueryVariables = Exact<{
  includeDeregistered?: boolean | null | undefined;
}>;

export type SeatsQuery = {
  seats: Array<{
    id: string;
    deviceId: string;
    name: string;
    userId: string;
    registeredAt: string;
    deregisteredAt: string | null;
    paired: boolean;
    lastSeenAt: string | null;
    connected: boolean;
  }>;
};

export type RegisterSeatMutationVariables = Exact<{
  deviceId: string;
  name: string;
  userId: string;
}>;

export type RegisterSeatMutation = {
  registerSeat: {
    id: string;
    deviceId: string;
    name: string;
    userId: string;
    registeredAt: string;
    deregisteredAt: string | null;
    paired: boolean;
    lastSeenAt: string | null;
    connected: boolean;
  };
};

export type DeregisterSeatMutationVariables = Exact<{
  id: string;
}>;

export type DeregisterSeatMutation = {
  deregisterSeat: {
    id: string;
    deviceId: string;
    name: string;
    userId: string;
    registeredAt: string;
    deregisteredAt: string | null;
    paired: boolean;
    lastSeenAt: string | null;
    connected: boolean;
  };
};

export type RequestDesktopPairingMutationVariables = Exact<{
  pcName?: string | null | undefined;
}>;

export type RequestDesktopPairingMutation = {
  requestDesktopPairing: { id: string; code: string; secret: string; pcName: string; expiresAt: string };
};

export type ClaimDesktopPairingMutationVariables = Exact<{
  id: string;
  secret: string;
}>;

export type ClaimDesktopPairingMutation = {
  claimDesktopPairing: { status: DesktopPairingState; deviceCredential: string | null; pcName: string };
};

export type DesktopPairingQueryVariables = Exact<{
  code: string;
}>;

export type DesktopPairingQuery = {
  desktopPairing: { id: string; pcName: string; userName: string; requestedAt: string; expiresAt: string };
};

export type ApproveDesktopPairingMutationVariables = Exact<{
  code: string;
  secret?: string | null | undefined;
}>;

export type ApproveDesktopPairingMutation = {
  approveDesktopPairing: {
    deviceCredential: string | null;
    seat: {
      id: string;
      deviceId: string;
      name: string;
      userId: string;
      registeredAt: string;
      deregisteredAt: string | null;
      paired: boolean;
      lastSeenAt: string | null;
      connected: boolean;
    };
  };
};

export type TenantContractFieldsFragment = {
  id: string;
  status: ContractStatus;
  recipientName: string;
  serviceStartDate: string;
  connectionCapacity: number;
  connectionPacks: Array<{ id: string; purchasedOn: string }>;
  planVersion: { version: number; plan: { code: string; name: string } };
};

export type TenantPageQueryVariables = Exact<{
  search?: string | null | undefined;
  offset?: number | null | undefined;
  limit?: number | null | undefined;
  sort?: TenantSort | null | undefined;
  descending?: boolean | null | undefined;
}>;

export type TenantPageQuery = {
  tenantPage: {
    total: number;
    items: Array<{
      id: string;
      name: string;
      timezone: string;
      contract: {
        id: string;
        status: ContractStatus;
        recipientName: string;
        serviceStartDate: string;
        connectionCapacity: number;
        connectionPacks: Array<{ id: string; purchasedOn: string }>;
        planVersion: { version: number; plan: { code: string; name: string } };
      } | null;
    }>;
  };
};

export type TenantByIdQueryVariables = Exact<{
  id: string;
}>;

export type TenantByIdQuery = {
  tenant: {
    id: string;
    name: string;
    timezone: string;
    contract: {
      id: string;
      status: ContractStatus;
      recipientName: string;
      serviceStartDate: string;
      connectionCapacity: number;
      connectionPacks: Array<{ id: string; purchasedOn: string }>;
      planVersion: { version: number; plan: { code: string; name: string } };
    } | null;
  };
};

export type BillableSeatsQueryVariables = Exact<{
  month: string;
  tenantId?: string | null | undefined;
}>;

export type BillableSeatsQuery = {
  billableSeats: {
    month: string;
    deviceIds: Array<string>;
    seats: Array<{
      id: string;
      deviceId: string;
      name: string;
      userName: string;
      registeredAt: string;
      deregisteredAt: string | null;
    }>;
  };
};

export type AddConnectionPacksMutationVariables = Exact<{
  contractId: string;
  count: number;
  purchasedOn: string;
}>;

export type AddConnectionPacksMutation = {
  addConnectionPacks: {
    id: string;
    status: ContractStatus;
    recipientName: string;
    serviceStartDate: string;
    connectionCapacity: number;
    connectionPacks: Array<{ id: string; purchasedOn: string }>;
    planVersion: { version: number; plan: { code: string; name: string } };
  };
};

export type CreateTenantMutationVariables = Exact<{
  name: string;
  adminEmail: string;
  adminName: string;
  timezone?: string | null | undefined;
}>;

export type CreateTenantMutation = {
  createTenant: {
    tenant: {
      id: string;
      name: string;
      timezone: string;
      contract: {
        id: string;
        status: ContractStatus;
        recipientName: string;
        serviceStartDate: string;
        connectionCapacity: number;
        connectionPacks: Array<{ id: string; purchasedOn: string }>;
        planVersion: { version: number; plan: { code: string; name: string } };
      } | null;
    };
    adminInvitation: { email: string; expiresAt: string };
  };
};

export type UsageQueryVariables = Exact<{
  month: string;
  tenantId?: string | null | undefined;
}>;

export type UsageQuery = {
  usage: {
    month: string;
    totalPopups: number;
    totalAmountYen: number;
    days: Array<{ date: string; class: PopupClass; popups: number; billedPopups: number; amountYen: number }>;
  };
};

export type UsageTenantsQueryVariables = Exact<{ [key: string]: never }>;

export type UsageTenantsQuery = { tenants: Array<{ id: string; name: string }> };

export type UsersQueryVariables = Exact<{ [key: string]: never }>;

export type UsersQuery = {
  users: Array<{ id: string; email: string; name: string; roles: Array<Role>; disabled: boolean }>;
};

export type InviteUserMutationVariables = Exact<{
  email: string;
  name: string;
  roles: Array<Role> | Role;
}>;

export type InviteUserMutation = {
  inviteUser: { id: string; email: string; name: string; roles: Array<Role>; expiresAt: string };
};

export type DisableUserMutationVariables = Exact<{
  userId: string;
}>;

export type DisableUserMutation = { disableUser: { id: string; disabled: boolean } };
