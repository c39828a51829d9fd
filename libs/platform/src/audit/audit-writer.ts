import { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import { metricsRegistry } from '../observability/metrics';
import type { AuditEntry } from './audit-entry';
import { AuditLogRepository } from './audit-log.repository';

export const auditEntriesWritten = new Counter({
  name: 'thankstar_audit_entries_written_total',
  help: 'Audit log entries written to the audit_log table.',
  registers: [metricsRegistry],
});

export const auditEntriesLost = new Counter({
  name: 'thankstar_audit_entries_lost_total',
  help: 'Audit log entries not written: queue_full (more waiting than the bound), write_failed (the insert failed), build_failed (the entry could not be built).',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

export type AuditLossReason = 'queue_full' | 'write_failed' | 'build_failed';

export interface AuditWriterOptions {
  /** At most this many entries wait to be written; more are dropped and counted. */
  maxQueued?: number;
  /** Entries per INSERT. */
  batchSize?: number;
  warn?: (message: string) => void;
}

/**
 * Writes audit entries right after the request they describe, off the request's path
 * (docs/decisions/0011-audit-log.md): `add` only queues and returns; one loop writes the queue in
 * batches on a pooled connection of its own. Best effort and bounded: a full queue or a failed
 * insert drops the entries and counts them (`thankstar_audit_entries_lost_total`); a request never
 * waits for, or fails because of, its audit entry. Disabled (add is a no-op) in a process whose
 * database has no audit_log table.
 */
export class AuditWriter {
  private queue: AuditEntry[] = [];
  private running: Promise<void> | undefined;
  private readonly maxQueued: number;
  private readonly batchSize: number;
  private lastWarning = 0;

  constructor(
    private readonly dataSource: DataSource | undefined,
    private readonly options: AuditWriterOptions = {},
  ) {
    this.maxQueued = options.maxQueued ?? 5_000;
    this.batchSize = options.batchSize ?? 200;
  }

  get enabled(): boolean {
    return this.dataSource !== undefined;
  }

  add(entries: readonly AuditEntry[]): void {
    if (!this.dataSource || entries.length === 0) return;
    const room = Math.max(0, this.maxQueued - this.queue.length);
    if (entries.length > room) this.lost(entries.length - room, 'queue_full');
    if (room > 0) this.queue.push(...entries.slice(0, room));
    this.schedule();
  }

  lost(count: number, reason: AuditLossReason, error?: unknown): void {
    auditEntriesLost.inc({ reason }, count);
    // One warning a minute at most: a database outage must not flood the log.
    const now = Date.now();
    if (now - this.lastWarning < 60_000) return;
    this.lastWarning = now;
    const detail = error instanceof Error ? `: ${error.message}` : '';
    this.options.warn?.(`audit log: ${count} entr${count === 1 ? 'y' : 'ies'} not written (${reason})${detail}`);
  }

  /** Resolves once everything queued so far is written (or counted as lost). Tests and shutdown. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private schedule(): void {
    if (this.running || this.queue.length === 0) return;
    // setImmediate: the entries of one request are queued before the loop starts, and the
    // response is already on its way.
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.writeAll())
      .finally(() => {
        this.running = undefined;
        this.schedule();
      });
  }

  private async writeAll(): Promise<void> {
    const dataSource = this.dataSource;
    if (!dataSource) return;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      if (!dataSource.isInitialized) {
        this.lost(batch.length, 'write_failed', new Error('the database is closed'));
        continue;
      }
      try {
        await AuditLogRepository.insert(dataSource.manager, batch);
        auditEntriesWritten.inc(batch.length);
      } catch (error) {
        this.lost(batch.length, 'write_failed', error);
      }
    }
  }
}
