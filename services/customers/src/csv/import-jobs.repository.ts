/**
 * The import's repository was ImportJobsRepository; it is ImportRepository now (import.repository.ts,
 * every statement of the import). This alias stays only while app.module.ts and bench/lookup.ts
 * still name the old class: the same class, so Nest provides one instance for both names.
 */
export { ImportRepository as ImportJobsRepository } from './import.repository';
