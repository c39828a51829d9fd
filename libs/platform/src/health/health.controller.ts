import { Controller, Get, HttpCode, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccessRevocationList } from '../auth/access-revocations';
import { Public } from '../auth/auth.guard';
import { DomainError } from '../errors/domain-error';
import type { MessageBus } from '../kafka/message-bus';
import { ACCESS_REVOCATIONS, MESSAGE_BUS } from '../nest/tokens';

type Revocations = 'caught-up' | 'catching-up';

@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(ACCESS_REVOCATIONS) private readonly revocations: AccessRevocationList,
  ) {}

  /** Liveness: the process answers. */
  @Public()
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: the database and the broker answer, and the access-revocation list has read the
   * topic up to where it ended when this process joined. Until then the process would accept a
   * revoked token (decision 0006), so the load balancer must not send it requests yet.
   */
  @Public()
  @Get()
  @HttpCode(200)
  async ready(): Promise<{ status: 'ok'; database: 'up'; broker: 'up'; revocations: Revocations }> {
    // Taken before the checks below: a list that catches up meanwhile is seen on the next probe.
    const revocations: Revocations = this.revocations.caughtUp() ? 'caught-up' : 'catching-up';
    const results = await Promise.allSettled([this.dataSource.query('SELECT 1'), withTimeout(this.bus.ping(), 2_000)]);
    const [db, broker] = results;
    const database = db?.status === 'fulfilled' ? 'up' : 'down';
    const brokerState = broker?.status === 'fulfilled' ? 'up' : 'down';
    if (database !== 'up' || brokerState !== 'up' || revocations !== 'caught-up') {
      throw new DomainError(
        'NOT_READY',
        { database, broker: brokerState, revocations },
        { database, broker: brokerState, revocations },
      );
    }
    return { status: 'ok', database: 'up', broker: 'up', revocations };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);
}
