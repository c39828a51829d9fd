import { Injectable } from '@nestjs/common';
import { isUuid } from '@thankstar/contracts';
import { DomainError } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import type { Call, CallSource } from './call';
import { CallEventWriter, type RecordResult } from './call-event-writer';
import { type CallFilter, CallsRepository } from './calls.repository';
import type { IncomingCallEvent } from './incoming-call-event';

export type { CallFilter } from './calls.repository';

export const MAX_PAGE = 200;

@Injectable()
export class CallsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calls: CallsRepository,
    private readonly writer: CallEventWriter,
  ) {}

  /**
   * Stores the event, updates the call's state and enqueues the call event, all in one
   * transaction (shared with other events arriving at the same time, see CallEventWriter):
   * accepted means stored and (eventually) published. A repeated event changes nothing and
   * publishes nothing.
   */
  record(tenantId: string, source: CallSource, incoming: IncomingCallEvent): Promise<RecordResult> {
    return this.writer.write(tenantId, source, incoming);
  }

  list(
    tenantId: string,
    filter: CallFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: Call[]; total: number }> {
    if (
      !Number.isInteger(page.limit) ||
      page.limit < 1 ||
      page.limit > MAX_PAGE ||
      !Number.isInteger(page.offset) ||
      page.offset < 0
    ) {
      throw new DomainError('INVALID_PAGE', {
        reason: {
          ja: `limit は1〜${MAX_PAGE}、offset は0以上です。`,
          en: `a page has a limit from 1 to ${MAX_PAGE} and an offset of 0 or more.`,
        },
      });
    }
    return this.calls.page(this.dataSource.manager, tenantId, filter, page);
  }

  /** Missed calls since a time, each with whether this user has marked it seen. */
  missed(tenantId: string, userId: string, since: Date): Promise<{ call: Call; seen: boolean }[]> {
    return this.calls.missed(this.dataSource.manager, tenantId, userId, since);
  }

  /** Marks missed calls of the tenant seen by this user; ids of other tenants' calls are ignored. */
  async markSeen(tenantId: string, userId: string, callIds: string[]): Promise<number> {
    const ids = callIds.filter(isUuid);
    if (ids.length === 0) return 0;
    return this.calls.markSeen(this.dataSource.manager, tenantId, userId, ids);
  }

  get(tenantId: string, id: string): Promise<Call | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.calls.get(this.dataSource.manager, tenantId, id);
  }
}
