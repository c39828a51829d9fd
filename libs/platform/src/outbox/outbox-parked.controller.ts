import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { Roles } from '../auth/auth.guard';
import { DomainError } from '../errors/domain-error';
import type { OutboxRelay, ParkedOutboxRow } from './outbox-relay';

export const OUTBOX_RELAY = Symbol('OUTBOX_RELAY');

/**
 * Platform staff's view of this service's parked outbox rows (refused by the broker for good, or
 * held behind one of their key), and the replay that puts a key's rows back in order.
 */
@Controller('v1/outbox/parked')
@Roles('platform-admin')
export class OutboxParkedController {
  constructor(@Inject(OUTBOX_RELAY) private readonly relay: OutboxRelay) {}

  @Get()
  async list(@Query('limit') limit?: string): Promise<{ count: number; rows: ParkedOutboxRow[] }> {
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1_000) {
      throw new DomainError('INVALID_LIMIT');
    }
    const [count, rows] = await Promise.all([this.relay.parkedCount(), this.relay.parked(n)]);
    return { count, rows };
  }

  @Post(':id/replay')
  @HttpCode(202)
  replay(@Param('id') id: string): Promise<{ replayed: string[] }> {
    return this.relay.replay(id);
  }
}
