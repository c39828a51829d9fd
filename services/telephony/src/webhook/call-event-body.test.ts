import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_MAX_AGE_DAYS, EVENT_MAX_AHEAD_HOURS } from '../calls/event-bounds';
import { parseCallEventBody as parseAt } from './call-event-body';

const valid = {
  callId: 'c-1',
  event: 'ringing',
  from: '090-1111-2222',
  to: '0312345678',
  occurredAt: '2026-11-29T10:00:00+09:00',
};

// Received a few minutes after the valid ring: the tests do not depend on today's date.
const receivedAt = new Date('2026-11-29T01:05:00Z');
const parseCallEventBody = (body: unknown) => parseAt(body, receivedAt);
const DAY_MS = 86_400_000;

describe('parseCallEventBody', () => {
  it('reads a valid ring', () => {
    const result = parseCallEventBody(valid);
    expect(result.ok && result.event).toMatchObject({
      callId: 'c-1',
      kind: 'ringing',
      from: { e164: '+819011112222', display: '090-1111-2222', valid: true },
      to: { e164: '+81312345678' },
      extension: null,
    });
  });

  it('keeps a bad but number-like caller raw, flagged', () => {
    const result = parseCallEventBody({ ...valid, from: '12' });
    expect(result.ok && result.event.from).toEqual({
      raw: '12',
      e164: null,
      display: null,
      valid: false,
      withheldReason: null,
    });
  });

  it('refuses NUL characters and lone surrogates, which Postgres text and jsonb cannot store', () => {
    for (const field of ['callId', 'extension', 'operatorId']) {
      for (const bad of ['a\u0000b', 'a\ud800b', '\udfff', 'x\ud83d']) {
        const result = parseCallEventBody({ ...valid, [field]: bad });
        expect(!result.ok && result.problem.code).toBe('INVALID_BODY');
        expect(!result.ok && result.problem.issues.map((i) => i.path)).toEqual([field]);
      }
    }
    // A well-formed pair (an emoji) is a character like any other.
    expect(parseCallEventBody({ ...valid, operatorId: '担当😀' }).ok).toBe(true);
  });

  it.each([
    ['0000-01-01T00:00:00-14:00'],
    ['9999-12-31T23:59:59-14:00'],
    ['1970-01-01T00:00:00Z'],
    ['2100-01-01T00:00:00+09:00'],
  ])('refuses occurredAt %s, far from its receipt, with OCCURRED_AT_OUT_OF_RANGE', (occurredAt) => {
    const result = parseCallEventBody({ ...valid, occurredAt });
    expect(!result.ok && result.problem).toMatchObject({
      code: 'OCCURRED_AT_OUT_OF_RANGE',
      issues: [{ path: 'occurredAt' }],
    });
  });

  it('accepts a late replay up to the age bound and a clock ahead up to the future bound', () => {
    const at = (ms: number) => ({ ...valid, occurredAt: new Date(ms).toISOString() });
    const oldest = receivedAt.getTime() - EVENT_MAX_AGE_DAYS * DAY_MS;
    const latest = receivedAt.getTime() + EVENT_MAX_AHEAD_HOURS * 3_600_000;
    expect(parseCallEventBody(at(oldest)).ok).toBe(true);
    expect(parseCallEventBody(at(oldest - 1)).ok).toBe(false);
    expect(parseCallEventBody(at(latest)).ok).toBe(true);
    expect(parseCallEventBody(at(latest + 1)).ok).toBe(false);
    // Eight days late (a PBX back after 年末年始) is a normal replay.
    expect(parseCallEventBody(at(receivedAt.getTime() - 8 * DAY_MS)).ok).toBe(true);
  });

  it('accepts exactly the event times inside the window, whatever the offset', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.date({
            min: new Date('0000-01-01T00:00:00Z'),
            max: new Date('9999-12-31T00:00:00Z'),
            noInvalidDate: true,
          }),
          // Near the bounds, where the answer changes.
          fc
            .integer({ min: -(EVENT_MAX_AGE_DAYS + 2) * DAY_MS, max: 2 * DAY_MS })
            .map((d) => new Date(receivedAt.getTime() + d)),
        ),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (date, offsetMinutes) => {
          const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString();
          if (!/^\d{4}-/.test(local)) return; // years past 9999 cannot be written as RFC 3339
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          const occurredAt = `${local.slice(0, 19)}${offset}`;
          const inside =
            date.getTime() - (date.getTime() % 1000) >= receivedAt.getTime() - EVENT_MAX_AGE_DAYS * DAY_MS &&
            date.getTime() - (date.getTime() % 1000) <= receivedAt.getTime() + EVENT_MAX_AHEAD_HOURS * 3_600_000;
          expect(parseCallEventBody({ ...valid, occurredAt }).ok).toBe(inside);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('never accepts a string Postgres could not store', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 20 }),
        fc.constantFrom('callId', 'extension', 'operatorId'),
        (s, field) => {
          const result = parseCallEventBody({ ...valid, [field]: s });
          if (result.ok) {
            const stored = result.event[field as 'callId' | 'extension' | 'operatorId'] ?? '';
            expect(stored.includes('\u0000')).toBe(false);
            expect(/\p{Cs}/u.test(stored)).toBe(false);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('maps a withheld caller', () => {
    const result = parseCallEventBody({ ...valid, from: 'P' });
    expect(result.ok && result.event.from.withheldReason).toBe('WITHHELD');
  });

  it.each([
    [{ ...valid, event: 'exploded' }, 'INVALID_BODY', 'event'],
    [{ ...valid, callId: '' }, 'INVALID_BODY', 'callId'],
    [{ ...valid, occurredAt: 'yesterday' }, 'INVALID_BODY', 'occurredAt'],
    [{ ...valid, from: undefined }, 'INVALID_BODY', 'from'],
    [{ ...valid, from: '' }, 'INVALID_NUMBER', 'from'],
    [{ ...valid, to: 'reception' }, 'INVALID_NUMBER', 'to'],
  ])('refuses %j with %s at %s', (body, code, path) => {
    const result = parseCallEventBody(body);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.code).toBe(code);
      expect(result.problem.issues.map((i) => i.path)).toContain(path);
    }
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ ...Object.fromEntries(Object.keys(valid).map((k) => [k, fc.jsonValue()])) }),
        ),
        (body) => {
          const result = parseCallEventBody(body);
          expect(typeof result.ok).toBe('boolean');
        },
      ),
    );
  });
});
