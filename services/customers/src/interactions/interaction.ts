export interface Handler {
  userId: string;
  name: string | null;
  since: string;
}

/** 対応履歴: one row per call (kind CALL) or per note written without a call (kind NOTE). */
export interface Interaction {
  id: string;
  tenantId: string;
  customerId: string | null;
  callId: string | null;
  popupId: string | null;
  kind: 'CALL' | 'NOTE';
  occurredAt: string;
  summary: string;
  notes: string | null;
  outcome: string | null;
  notesAllowed: boolean;
  operatorId: string | null;
  operatorName: string | null;
  handledBy: Handler[];
  followUpOn: string | null;
  followUpAssigneeId: string | null;
  followUpAssigneeName: string | null;
  followUpDone: boolean;
  updatedAt: string;
}

/** What a list or popup shows in one line: the first line of the notes once someone wrote some. */
export function summaryOf(i: Pick<Interaction, 'summary' | 'notes'>): string {
  const firstLine = i.notes
    ?.split('\n')
    .find((l) => l.trim() !== '')
    ?.trim();
  return firstLine ? firstLine.slice(0, 120) : i.summary;
}
