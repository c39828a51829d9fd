import { operation } from '../graphql/operation';
import type {
  BillingAuditLogQuery,
  BillingAuditLogQueryVariables,
  CustomersAuditLogQuery,
  CustomersAuditLogQueryVariables,
  LicensingAuditLogQuery,
  LicensingAuditLogQueryVariables,
  TelephonyAuditLogQuery,
  TelephonyAuditLogQueryVariables,
} from '../graphql/types';

// One query per subgraph: each keeps its own audit log (docs/decisions/0011-audit-log.md) and is paged on its own.
// The selections are written out: codegen reads the documents as they are, without interpolation.

export const TelephonyAuditLog = operation<TelephonyAuditLogQuery, TelephonyAuditLogQueryVariables>(/* GraphQL */ `
  query TelephonyAuditLog($filter: AuditLogFilter, $first: Int, $after: String) {
    telephonyAuditLog(filter: $filter, first: $first, after: $after) {
      entries { id service at tenantId actorId actorName actorRoles operation targets outcome arguments }
      nextCursor
    }
  }
`);

export const CustomersAuditLog = operation<CustomersAuditLogQuery, CustomersAuditLogQueryVariables>(/* GraphQL */ `
  query CustomersAuditLog($filter: AuditLogFilter, $first: Int, $after: String) {
    customersAuditLog(filter: $filter, first: $first, after: $after) {
      entries { id service at tenantId actorId actorName actorRoles operation targets outcome arguments }
      nextCursor
    }
  }
`);

export const BillingAuditLog = operation<BillingAuditLogQuery, BillingAuditLogQueryVariables>(/* GraphQL */ `
  query BillingAuditLog($filter: AuditLogFilter, $first: Int, $after: String) {
    billingAuditLog(filter: $filter, first: $first, after: $after) {
      entries { id service at tenantId actorId actorName actorRoles operation targets outcome arguments }
      nextCursor
    }
  }
`);

export const LicensingAuditLog = operation<LicensingAuditLogQuery, LicensingAuditLogQueryVariables>(/* GraphQL */ `
  query LicensingAuditLog($filter: AuditLogFilter, $first: Int, $after: String) {
    licensingAuditLog(filter: $filter, first: $first, after: $after) {
      entries { id service at tenantId actorId actorName actorRoles operation targets outcome arguments }
      nextCursor
    }
  }
`);
