/**
 * The 操作履歴 page merges four audit logs (one per subgraph, each paged newest first on its own)
 * into one list by time. Each source keeps a buffer of fetched, not yet shown entries; before a page
 * of `n` is shown, every source that is not exhausted holds at least `n` (needsFetch), so the `n`
 * newest of all buffers are the `n` newest not yet shown anywhere.
 */
export const auditSources = ['telephony', 'customers', 'billing', 'licensing'] as const;
export type AuditSource = (typeof auditSources)[number];

export interface AuditRow {
  id: string;
  service: string;
  at: string;
  tenantId?: string | null;
  actorId?: string | null;
  actorName?: string | null;
  actorRoles: string[];
  operation: string;
  targets: string[];
  outcome: string;
  arguments?: string | null;
}

export interface SourceState {
  buffer: AuditRow[];
  /** The cursor for the next page; null once the source has nothing older. */
  cursor: string | null;
  done: boolean;
}

export const emptySource = (): SourceState => ({ buffer: [], cursor: null, done: false });

export function needsFetch(state: SourceState, n: number): boolean {
  return !state.done && state.buffer.length < n;
}

export function appendPage(state: SourceState, page: { entries: AuditRow[]; nextCursor?: string | null }): SourceState {
  const cursor = page.nextCursor ?? null;
  return { buffer: [...state.buffer, ...page.entries], cursor, done: cursor === null };
}

const newestFirst = (a: AuditRow, b: AuditRow) =>
  a.at === b.at ? b.id.localeCompare(a.id) : Date.parse(b.at) - Date.parse(a.at);

/** The `n` newest buffered entries across sources, and the buffers without them. */
export function takeNewest(
  states: Record<AuditSource, SourceState>,
  n: number,
): { rows: AuditRow[]; states: Record<AuditSource, SourceState> } {
  const all = auditSources.flatMap((s) => states[s].buffer.map((row) => ({ row, source: s })));
  all.sort((a, b) => newestFirst(a.row, b.row));
  const taken = all.slice(0, n);
  const next = { ...states };
  for (const source of auditSources) {
    const used = new Set(taken.filter((t) => t.source === source).map((t) => t.row.id));
    next[source] = { ...states[source], buffer: states[source].buffer.filter((row) => !used.has(row.id)) };
  }
  return { rows: taken.map((t) => t.row), states: next };
}

/** Whether anything is left to show after what is on screen. */
export function hasMore(states: Record<AuditSource, SourceState>): boolean {
  return auditSources.some((s) => states[s].buffer.length > 0 || !states[s].done);
}

/** A `YYYY-MM-DD` picked on the page as the instant its day starts in Japan time (docs/product-rules.md: tenants' time zone defaults to Asia/Tokyo). */
export function dayStart(day: string, plusDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const start = new Date(`${day}T00:00:00+09:00`);
  return new Date(start.getTime() + plusDays * 86_400_000).toISOString();
}

/** `Mutation.createWebhookKey` → `createWebhookKey`; a REST call stays as it is. */
export function operationKey(operation: string): string {
  return operation.startsWith('Mutation.') ? operation.slice('Mutation.'.length) : operation;
}
