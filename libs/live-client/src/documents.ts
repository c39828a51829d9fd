/**
 * Ready-made documents for a client that wants the essentials of a popup (a tenant's own
 * software, a CRM plug-in): who is calling, on which line, the matching customer. The console
 * and the desktop client pass their own, larger selections (admin-ui/src/console/operations.ts).
 */

export interface LivePopup {
  popupId: string;
  callId: string;
  class: 'KNOWN' | 'UNKNOWN' | 'AMBIGUOUS' | 'WITHHELD' | 'NUISANCE' | 'EMPLOYEE' | string;
  rangAt: string;
  lineLabel: string | null;
  caller: { raw: string | null; display: string | null; withheldReason: string | null };
  customer: { id: string; name: string; company: string | null } | null;
}

export interface LiveCallUpdate {
  callId: string;
  event: 'ANSWERED' | 'ENDED' | 'TRANSFERRED' | 'MISSED' | string;
  at: string;
  operatorId: string | null;
  extension: string | null;
  lineLabel: string | null;
}

const popupSelection = `
  popupId
  callId
  class
  rangAt
  lineLabel
  caller { raw display withheldReason }
  customer { id name company }
`;

export const essentialDocuments = {
  popups: `subscription LivePopups { popups { ${popupSelection} } }`,
  callUpdates: 'subscription LiveCallUpdates { callUpdates { callId event at operatorId extension lineLabel } }',
  /** For `pendingPopups(since)` over HTTP POST /graphql (the client's own fetch). */
  pendingPopups: `query LivePendingPopups($since: String!) { pendingPopups(since: $since) { ${popupSelection} } }`,
} as const;
