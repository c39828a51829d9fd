import type { GetListParams, RaRecord } from 'react-admin';

/** Sorts, filters (`q` = text search, other keys = equality) and pages a small list the gateway returns whole. */
export function listInMemory<T extends RaRecord>(rows: T[], params: GetListParams): { data: T[]; total: number } {
  const { q, ...equal } = (params.filter ?? {}) as Record<string, unknown>;
  let out = rows.filter((row) =>
    Object.entries(equal).every(
      ([key, value]) => value === undefined || value === '' || String(row[key]) === String(value),
    ),
  );
  if (typeof q === 'string' && q) {
    const needle = q.toLowerCase();
    out = out.filter((row) => JSON.stringify(row).toLowerCase().includes(needle));
  }
  const sort = params.sort;
  if (sort?.field) {
    const dir = sort.order === 'DESC' ? -1 : 1;
    out = [...out].sort((a, b) => String(a[sort.field] ?? '').localeCompare(String(b[sort.field] ?? ''), 'ja') * dir);
  }
  const page = params.pagination?.page ?? 1;
  const perPage = params.pagination?.perPage ?? out.length;
  return { data: out.slice((page - 1) * perPage, page * perPage), total: out.length };
}
