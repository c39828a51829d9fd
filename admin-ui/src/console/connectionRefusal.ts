/** A device holding one of the tenant's concurrent connections, as the refusal names it. */
export interface ConnectionHolder {
  /** e.g. "Chrome tab / 佐藤 花子" */
  label: string;
  since: string | null;
}

export interface ConnectionRefusal {
  code: string;
  message: string;
  capacity: number | null;
  holders: ConnectionHolder[];
  /** Holders that did not fit in the close frame (123 bytes). */
  more: number;
}

type HolderJson = string | { userName?: string; deviceKind?: string; label?: string; since?: string };

const holderOf = (h: HolderJson): ConnectionHolder =>
  typeof h === 'string'
    ? { label: h, since: null }
    : { label: [h.label || h.deviceKind, h.userName].filter(Boolean).join(' / '), since: h.since ?? null };

/**
 * Reads the close reason of a refused socket: JSON `{code, capacity, holders, more}` (holders as
 * "label / user" strings or objects, at the top level or under `details`), or `CODE: message`.
 */
export function parseRefusal(reason: string): ConnectionRefusal {
  try {
    const body = JSON.parse(reason) as {
      code?: string;
      message?: string;
      capacity?: number;
      holders?: HolderJson[];
      more?: number;
      details?: { capacity?: number; holders?: HolderJson[]; more?: number };
    };
    const holders = body.holders ?? body.details?.holders;
    return {
      code: body.code ?? 'CONNECTION_LIMIT_REACHED',
      message: body.message ?? '',
      capacity: body.capacity ?? body.details?.capacity ?? null,
      holders: Array.isArray(holders) ? holders.map(holderOf) : [],
      more: body.more ?? body.details?.more ?? 0,
    };
  } catch {
    const match = /^([A-Z_]+):\s*(.*)$/s.exec(reason);
    return {
      code: match?.[1] ?? 'CONNECTION_LIMIT_REACHED',
      message: match?.[2] ?? reason,
      capacity: null,
      holders: [],
      more: 0,
    };
  }
}
