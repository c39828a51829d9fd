/**
 * The one UUID check (any version, either case), for ids a caller sends before they reach an
 * `id uuid` column: Postgres would answer a malformed one with an error, not with "not found".
 * No imports, so the browser can use it too.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);
