import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type WebhookEvent, webhookBody } from './webhook-events';
import { WebhooksRepository } from './webhooks.repository';

/** Wakes the delivery worker (it also polls): set by the worker, so recording needs no import of it. */
export const WEBHOOK_WAKE = Symbol('webhook wake');
export interface WebhookWake {
  wake(): void;
}

/**
 * Writes an event's deliveries (one per subscribed endpoint) in the caller's transaction: a
 * consumer's, with its dedup row, or the API's, with the change itself. At least once follows:
 * the rows commit with what they announce or not at all.
 */
@Injectable()
export class WebhookEventsRecorder {
  private readonly logger = new Logger(WebhookEventsRecorder.name);

  constructor(
    private readonly repository: WebhooksRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(WEBHOOK_WAKE) private readonly worker: WebhookWake,
  ) {}

  /** Whether the tenant has an enabled endpoint for one of these types (asked outside any transaction). */
  listens(tenantId: string, types: readonly string[]): Promise<boolean> {
    return this.repository.tenantListens(this.dataSource.manager, tenantId, types);
  }

  async record(m: EntityManager, events: readonly WebhookEvent[]): Promise<number> {
    let written = 0;
    for (const e of events) written += await this.repository.recordEvent(m, e.tenantId, e, webhookBody(e));
    return written;
  }

  /** After the transaction that recorded deliveries has committed. */
  recorded(count: number): void {
    if (count > 0) {
      this.logger.debug?.(`${count} webhook deliveries recorded`);
      this.worker.wake();
    }
  }
}
