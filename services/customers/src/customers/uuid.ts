/** Ids arrive as GraphQL `ID` strings; one that is not a UUID cannot name a row, so it is "not found" rather than a database error. */
export const isUuid = (s: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
