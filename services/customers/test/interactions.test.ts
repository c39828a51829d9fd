import { randomUUID } from 'node:crypto';
import { INTERACTIONS_TOPIC, interactionChangeSchema } from '@thankstar/contracts';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneKeys } from '../src/customers/phone-keys';
import {
  callEvent,
  errorCode,
  eventually,
  type Harness,
  jsonMessages,
  ok,
  popupOf,
  popupsFor,
  produceCall,
  startHarness,
} from './support';

const START = 'mutation ($c: ID!) { startInteraction(callId: $c) { id operatorName handledBy { userId name } } }';
const UPDATE = `mutation ($id: ID!, $input: InteractionInput!) {
  updateInteraction(id: $id, input: $input) { id notes outcome followUpOn followUpAssigneeName edits { field oldValue newValue editedByName } }
}`;

// Generous: these suites share a 2-core machine with every other suite, and nothing here is timed.
describe('during the call (real Postgres and Kafka)', { timeout: 180_000 }, () => {
  let h: Harness;
  let ds: DataSource;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const sato = randomUUID();
  const suzuki = randomUUID();
  let satoToken: string;
  let suzukiToken: string;
  let tokenB: string;
  let customerId: string;

  const changesFor = (callId: string) =>
    jsonMessages(h, INTERACTIONS_TOPIC)
      .flatMap((m) => {
        const parsed = interactionChangeSchema.safeParse(m);
        return parsed.success ? [parsed.data] : [];
      })
      .filter((e) => e.payload.callId === callId);

  beforeAll(async () => {
    h = await startHarness();
    ds = h.app.get(DataSource);
    satoToken = await h.sign({ tenantId: tenantA, userId: sato, name: '佐藤' });
    suzukiToken = await h.sign({ tenantId: tenantA, userId: suzuki, name: '鈴木' });
    tokenB = await h.sign({ tenantId: tenantB });
    const c = await ok<{ createCustomer: { id: string } }>(
      h,
      satoToken,
      'mutation { createCustomer(input: { name: "高橋 次郎", phones: [{ number: "080-3333-4444" }] }) { id } }',
    );
    customerId = c.createCustomer.id;
    const keys = phoneKeys('03-9999-0000');
    await ds.query(
      `INSERT INTO nuisance_numbers (tenant_id, raw, e164, national_digits, reason) VALUES ($1, '03-9999-0000', $2, $3, '迷惑')`,
      [tenantA, keys.e164, keys.nationalDigits],
    );
  });

  afterAll(async () => {
    await h?.close();
  });

  it('lets operators take a call, write notes as they type with edit history, and shows it to the others', async () => {
    const ring = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '08033334444' });
    await produceCall(h, ring);
    const popup = (await popupOf(h, tenantA, ring.payload.callId)).payload as {
      interactionId: string;
      popupId: string;
    };

    const taken = await ok<{ startInteraction: { id: string; operatorName: string; handledBy: { name: string }[] } }>(
      h,
      satoToken,
      START,
      {
        c: ring.payload.callId,
      },
    );
    expect(taken.startInteraction).toMatchObject({
      id: popup.interactionId,
      operatorName: '佐藤',
      handledBy: [{ name: '佐藤' }],
    });
    await ok(h, satoToken, START, { c: ring.payload.callId });
    const both = await ok<{ startInteraction: { operatorName: string; handledBy: { name: string }[] } }>(
      h,
      suzukiToken,
      START,
      {
        c: ring.payload.callId,
      },
    );
    expect(both.startInteraction.operatorName).toBe('佐藤');
    expect(both.startInteraction.handledBy.map((x) => x.name)).toEqual(['佐藤', '鈴木']);

    await ok(h, satoToken, UPDATE, { id: popup.interactionId, input: { notes: '配送日の' } });
    await ok(h, satoToken, UPDATE, { id: popup.interactionId, input: { notes: '配送日の確認。来週火曜に再連絡' } });
    const updated = await ok<{
      updateInteraction: Record<string, unknown> & {
        edits: { field: string; newValue: string; editedByName: string }[];
      };
    }>(h, suzukiToken, UPDATE, {
      id: popup.interactionId,
      input: { outcome: '要折り返し', followUpOn: '2026/12/1', followUpAssigneeName: '鈴木' },
    });
    expect(updated.updateInteraction).toMatchObject({
      notes: '配送日の確認。来週火曜に再連絡',
      outcome: '要折り返し',
      followUpOn: '2026-12-01',
    });
    // Typing saves coalesce into one edit per field and person; Suzuki's changes are their own.
    expect(updated.updateInteraction.edits.map((e) => [e.field, e.newValue, e.editedByName])).toEqual([
      ['notes', '配送日の確認。来週火曜に再連絡', '佐藤'],
      ['outcome', '要折り返し', '鈴木'],
      ['followUpOn', '2026-12-01', '鈴木'],
      ['followUpAssigneeName', '鈴木', '鈴木'],
    ]);
    expect(
      await errorCode(h, satoToken, UPDATE, { id: popup.interactionId, input: { followUpOn: '2026-02-30' } }),
    ).toBe('INVALID_INTERACTION');

    const changes = await eventually('interaction changes on Kafka', () => {
      const all = changesFor(ring.payload.callId);
      return all.length >= 5 ? all : undefined;
    });
    expect(changes.map((e) => e.payload.kind)).toEqual(['taken', 'taken', 'updated', 'updated', 'updated']);
    expect(changes.at(-1)?.payload).toMatchObject({
      notes: '配送日の確認。来週火曜に再連絡',
      outcome: '要折り返し',
      popupId: popup.popupId,
    });

    // A reconnecting client reads the same state from the stored popup.
    const stored = await ok<{ popup: { notes: string; handledBy: { name: string }[] } }>(
      h,
      suzukiToken,
      'query ($c: ID!) { popup(callId: $c) { notes outcome handledBy { name } } }',
      { c: ring.payload.callId },
    );
    expect(stored.popup).toEqual({
      notes: '配送日の確認。来週火曜に再連絡',
      outcome: '要折り返し',
      handledBy: [{ name: '佐藤' }, { name: '鈴木' }],
    });

    // A transfer sends the same popup again, with the notes so far.
    await produceCall(
      h,
      callEvent(tenantA, { callId: ring.payload.callId, from: '08033334444', event: 'transferred' }),
    );
    const resent = await eventually('popup re-sent on transfer', () => popupsFor(h, tenantA, ring.payload.callId)[1]);
    expect(resent.payload).toMatchObject({
      popupId: popup.popupId,
      notes: '配送日の確認。来週火曜に再連絡',
      transferredAt: expect.any(String),
    });

    // The next call of this customer shows the open follow-up.
    const next = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '08033334444' });
    await produceCall(h, next);
    expect((await popupOf(h, tenantA, next.payload.callId)).payload).toMatchObject({
      followUps: [{ interactionId: popup.interactionId, dueOn: '2026-12-01', assigneeName: '鈴木' }],
      interactions: [{ summary: '配送日の確認。来週火曜に再連絡', outcome: '要折り返し' }],
    });
  });

  it('refuses notes on a NUISANCE call with NOTES_NOT_ALLOWED', async () => {
    const ring = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '0399990000' });
    await produceCall(h, ring);
    const popup = (await popupOf(h, tenantA, ring.payload.callId)).payload as { class: string; interactionId: string };
    expect(popup.class).toBe('NUISANCE');
    await ok(h, satoToken, START, { c: ring.payload.callId });
    expect(await errorCode(h, satoToken, UPDATE, { id: popup.interactionId, input: { notes: 'しつこい' } })).toBe(
      'NOTES_NOT_ALLOWED',
    );
    const [row] = await ds.query('SELECT notes FROM interactions WHERE id = $1', [popup.interactionId]);
    expect(row.notes).toBeNull();
  });

  it('publishes profile corrections made during a call and updates the call popup', async () => {
    const ring = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '08033334444' });
    await produceCall(h, ring);
    await popupOf(h, tenantA, ring.payload.callId);
    await ok(
      h,
      satoToken,
      'mutation ($id: ID!, $c: ID) { updateCustomer(id: $id, callId: $c, input: { department: "経理部" }) { id } }',
      {
        id: customerId,
        c: ring.payload.callId,
      },
    );
    const stored = await ok<{ popup: { customer: { department: string } } }>(
      h,
      satoToken,
      'query ($c: ID!) { popup(callId: $c) { customer { department } } }',
      {
        c: ring.payload.callId,
      },
    );
    expect(stored.popup.customer.department).toBe('経理部');
    const corrected = await eventually('profile-corrected event', () =>
      changesFor(ring.payload.callId).find((e) => e.payload.kind === 'profile-corrected'),
    );
    expect(corrected.payload.customer?.department).toBe('経理部');
  });

  it('adds a note without a call', async () => {
    const r = await ok<{ addNote: { summary: string; operatorName: string } }>(
      h,
      satoToken,
      'mutation ($id: ID!) { addNote(customerId: $id, notes: "来店。カタログ渡し済み", outcome: "来店") { summary operatorName } }',
      { id: customerId },
    );
    expect(r.addNote).toEqual({ summary: '来店。カタログ渡し済み', operatorName: '佐藤' });
  });

  it('keeps tenant B out of tenant A calls and interactions', async () => {
    const [row] = await ds.query(
      'SELECT id, call_id FROM interactions WHERE tenant_id = $1 AND call_id IS NOT NULL LIMIT 1',
      [tenantA],
    );
    expect(await errorCode(h, tokenB, START, { c: row.call_id })).toBe('CALL_NOT_FOUND');
    expect(await errorCode(h, tokenB, UPDATE, { id: row.id, input: { notes: 'x' } })).toBe('NOT_FOUND');
    expect(
      (
        await ok<{ interaction: unknown }>(h, tokenB, 'query ($id: ID!) { interaction(id: $id) { id } }', {
          id: row.id,
        })
      ).interaction,
    ).toBeNull();
    expect(
      await errorCode(h, tokenB, 'mutation ($id: ID!) { addNote(customerId: $id, notes: "x") { id } }', {
        id: customerId,
      }),
    ).toBe('NOT_FOUND');
    expect(
      await errorCode(
        h,
        tokenB,
        'mutation ($id: ID!, $c: ID) { updateCustomer(id: $id, callId: $c, input: { name: "x" }) { id } }',
        {
          id: customerId,
          c: row.call_id,
        },
      ),
    ).toBe('NOT_FOUND');
    const [after] = await ds.query('SELECT notes FROM interactions WHERE id = $1', [row.id]);
    expect(after.notes).not.toBe('x');
  });
});
