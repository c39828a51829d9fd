// The import page's pure rules: the upload URL, job ids, the header mapping and progress.

export type CsvEncoding = 'SHIFT_JIS' | 'UTF8';

export interface UploadOptions {
  encoding: CsvEncoding;
  dryRun: boolean;
  /** Ours, so `importJob(jobId)` can be polled while the upload runs. */
  jobId: string;
  /** Header → field (`name`, `phone`, `custom:<key>`...); '' ignores the column. */
  mapping: Readonly<Record<string, string>>;
}

/** `/v1/customers/import?...`: the customers service's streaming upload, served on the UI's origin. */
export function importPath({ encoding, dryRun, jobId, mapping }: UploadOptions): string {
  const query = new URLSearchParams({ encoding, dryRun: String(dryRun), jobId });
  if (Object.keys(mapping).length > 0) query.set('mapping', JSON.stringify(mapping));
  return `/v1/customers/import?${query}`;
}

/** A v4 UUID; crypto.randomUUID exists only in secure contexts (HTTPS, localhost). */
export function newJobId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * What a column can be mapped to: the names the customers service's importer resolves (its column
 * aliases, services/customers/src/csv/columns.ts). Phones take their type from the name.
 */
export const standardTargets = [
  'externalId',
  'name',
  'nameKana',
  'company',
  'department',
  'phone',
  'mobile',
  'home',
  'work',
  'fax',
  'email',
  'postalCode',
  'prefecture',
  'city',
  'street',
  'building',
  'tags',
  'notes',
] as const;

/** A tenant's custom field as a mapping target (the importer strips `custom:` and matches the key). */
export const customTarget = (key: string) => `custom:${key}`;

/**
 * The columns the mapping form offers: those already mapped (so a choice can be changed after the
 * dry run that applied it), then those the last report left unmapped.
 */
export function mappingColumns(mapping: Readonly<Record<string, string>>, unmapped: readonly string[]): string[] {
  return [...new Set([...Object.keys(mapping), ...unmapped])];
}

/** The mapping to send: every offered column, '' (ignored) unless the admin chose a field. */
export function completeMapping(
  columns: readonly string[],
  chosen: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(columns.map((c) => [c, chosen[c] ?? '']));
}

/** Whether two mappings import the same: a column ignored explicitly ('') is a column left unmapped. */
export const sameMapping = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) => {
  const used = (m: Readonly<Record<string, string>>) => Object.entries(m).filter(([, field]) => field !== '');
  const left = used(a);
  return left.length === used(b).length && left.every(([column, field]) => b[column] === field);
};

/** Percent of the file the server has read, or null when its size is unknown (an indeterminate bar). */
export function percentRead(job: { bytesRead: number; bytesTotal: number | null } | null): number | null {
  if (!job?.bytesTotal || job.bytesTotal <= 0) return null;
  return Math.min(100, Math.max(0, Math.round((job.bytesRead / job.bytesTotal) * 100)));
}

/** The report's rows as an admin reviews them: rows with problems first, each group in file order. */
export function rowsForReview<R extends { line: number; problems: readonly string[] }>(rows: readonly R[]): R[] {
  const byLine = (a: R, b: R) => a.line - b.line;
  return [
    ...rows.filter((r) => r.problems.length > 0).sort(byLine),
    ...rows.filter((r) => r.problems.length === 0).sort(byLine),
  ];
}
