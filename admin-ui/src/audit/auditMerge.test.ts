import { describe, expect, it } from 'vitest';
import {
  type AuditRow,
  type AuditSource,
  appendPage,
  auditSources,
  dayStart,
  emptySource,
  hasMore,
  needsFetch,
  operationKey,
  type SourceState,
  takeNewest,
} from './auditMerge';

const row = (service: AuditSource, n: number, minute: number): AuditRow => ({
  id: `${service}:${n}`,
  service,
  at: new Date(Date.UTC(2026, 11, 7, 0, minute)).toISOString(),
  actorRoles: [],
  operation: 'Mutation.x',
  targets: [],
  outcome: 'ok',
});

/** Every source's whole log, newest first, and a fake of its paged query. */
function pager(logs: Record<AuditSource, AuditRow[]>, size: number) {
  return (source: AuditSource, cursor: string | null) => {
    const from = cursor ? Number(cursor) : 0;
    const entries = logs[source].slice(from, from + size);
    return { entries, nextCursor: from + size < logs[source].length ? String(from + size) : null };
  };
}

describe('merging the four audit logs', () => {
  it('shows every entry once, newest first, page after page', () => {
    const logs = {
      telephony: [row('telephony', 3, 50), row('telephony', 2, 20), row('telephony', 1, 5)],
      customers: [row('customers', 2, 40), row('customers', 1, 30)],
      billing: [],
      licensing: [row('licensing', 4, 59), row('licensing', 3, 45), row('licensing', 2, 10), row('licensing', 1, 1)],
    } satisfies Record<AuditSource, AuditRow[]>;
    const fetchPage = pager(logs, 2);
    let states = Object.fromEntries(auditSources.map((s) => [s, emptySource()])) as Record<AuditSource, SourceState>;
    const shown: AuditRow[] = [];
    for (let page = 0; page < 10 && hasMore(states); page++) {
      for (const s of auditSources) {
        while (needsFetch(states[s], 2)) states[s] = appendPage(states[s], fetchPage(s, states[s].cursor));
      }
      const next = takeNewest(states, 2);
      shown.push(...next.rows);
      states = next.states;
    }
    const expected = Object.values(logs)
      .flat()
      .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    expect(shown.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(hasMore(states)).toBe(false);
  });

  it('reads a picked day as Japan time and strips Mutation. from names', () => {
    expect(dayStart('2026-12-07')).toBe('2026-12-06T15:00:00.000Z');
    expect(dayStart('2026-12-07', 1)).toBe('2026-12-07T15:00:00.000Z');
    expect(dayStart('')).toBeUndefined();
    expect(operationKey('Mutation.createWebhookKey')).toBe('createWebhookKey');
    expect(operationKey('POST /v1/customers/import')).toBe('POST /v1/customers/import');
  });
});
