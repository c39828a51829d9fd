import { classifyFailure, failureReason } from '../errors/failure-class';

/** An outbox row as the relay reads it (ids are bigint text, compared as BigInt). */
export interface RelayRow {
  id: string;
  topic: string;
  key: string;
  value: string;
}

export interface ParkDecision {
  row: RelayRow;
  reason: string;
  /** The parked row of the same key it waits behind; undefined for the row that was refused itself. */
  behind?: string;
}

/**
 * Kafka's default broker limit is 1 MiB per record batch (message.max.bytes 1,048,588); a row
 * near it is refused whatever we do. Checking before sending keeps a refused row out of a batch
 * where it would fail its neighbours' partitions with it.
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_000_000;

/** Bytes a row takes on the wire, near enough: key, value and the traceparent header. */
export function rowBytes(row: Pick<RelayRow, 'key' | 'value'>): number {
  return Buffer.byteLength(row.key, 'utf8') + Buffer.byteLength(row.value, 'utf8') + 128;
}

const holdReason = (behind: string) => `HELD_BEHIND_PARKED: waits behind parked outbox row ${behind} of the same key`;

/**
 * Splits a batch (in id order) into the rows to send and the rows to park, keeping each key's
 * order: a row whose key already has a parked row (`parkedHeads`: key → the key's first parked id)
 * or a row refused earlier in this batch is held behind it, never sent ahead of it.
 */
export function planOutboxBatch(
  rows: RelayRow[],
  parkedHeads: ReadonlyMap<string, string>,
  maxMessageBytes: number = DEFAULT_MAX_MESSAGE_BYTES,
): { send: RelayRow[]; park: ParkDecision[] } {
  const heads = new Map(parkedHeads);
  const send: RelayRow[] = [];
  const park: ParkDecision[] = [];
  for (const row of rows) {
    const head = heads.get(row.key);
    if (head !== undefined) {
      park.push({ row, reason: holdReason(head), behind: head });
      continue;
    }
    const bytes = rowBytes(row);
    if (bytes > maxMessageBytes) {
      park.push({
        row,
        reason: `MESSAGE_TOO_LARGE: ${bytes} bytes, over the ${maxMessageBytes}-byte limit of one message`,
      });
      heads.set(row.key, row.id);
      continue;
    }
    send.push(row);
  }
  return { send, park };
}

export interface OneByOneResult {
  sent: RelayRow[];
  park: ParkDecision[];
  /** A transient failure stopped the walk: the rows not in `sent` or `park` stay in the outbox. */
  transient?: unknown;
}

/**
 * After a batch failed for good somewhere, sends its rows one at a time to find the refused ones.
 * A refused row is parked with its reason and its key's later rows are held behind it; a transient
 * failure stops the walk (the rest stays in the outbox for the next try, in order).
 */
export async function publishOneByOne(
  rows: RelayRow[],
  publish: (row: RelayRow) => Promise<void>,
): Promise<OneByOneResult> {
  const heads = new Map<string, string>();
  const sent: RelayRow[] = [];
  const park: ParkDecision[] = [];
  for (const row of rows) {
    const head = heads.get(row.key);
    if (head !== undefined) {
      park.push({ row, reason: holdReason(head), behind: head });
      continue;
    }
    try {
      await publish(row);
      sent.push(row);
    } catch (err) {
      if (classifyFailure(err) === 'transient') return { sent, park, transient: err };
      park.push({ row, reason: failureReason(err) });
      heads.set(row.key, row.id);
    }
  }
  return { sent, park };
}
