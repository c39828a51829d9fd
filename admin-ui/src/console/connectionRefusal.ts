/** Who holds a concurrent connection, as the gateway lists them when it refuses one. */
export interface ConnectionHolder {
  leaseId: string;
  userName: string;
  deviceKind: string;
  label: string;
  since: string;
}

export interface ConnectionRefusal {
  code: string;
  message: string;
  capacity: number | null;
  holders: ConnectionHolder[];
}

/**
 * Reads the close reason of a refused socket: JSON `{code, message, details: {capacity, holders}}`,
 * or the short `CODE: message` form when the JSON did not fit in a close frame.
 */
export function parseRefusal(reason: string): ConnectionRefusal {
  try {
    const body = JSON.parse(reason) as {
      code?: string;
      message?: string;
      details?: { capacity?: number; holders?: ConnectionHolder[] };
    };
    return {
      code: body.code ?? 'CONNECTION_LIMIT_REACHED',
      message: body.message ?? '',
      capacity: body.details?.capacity ?? null,
      holders: Array.isArray(body.details?.holders) ? body.details.holders : [],
    };
  } catch {
    const match = /^([A-Z_]+):\s*(.*)$/s.exec(reason);
    return {
      code: match?.[1] ?? 'CONNECTION_LIMIT_REACHED',
      message: match?.[2] ?? reason,
      capacity: null,
      holders: [],
    };
  }
}
