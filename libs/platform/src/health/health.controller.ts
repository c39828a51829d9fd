import { Controller, Get, HttpCode, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccessRevocationList } from '../auth/access-revocations';
import { Public } from '../auth/auth.guard';
import { DomainError } from '../errors/domain-error';
import type { MessageBus } from '../kafka/message-bus';
import { ACCESS_REVOCATIONS, MESSAGE_BUS } from '../nest/tokens';

type Revocations = 'caught-up' | 'catching-up';
/** `down` is a degraded state, not a reason to take the instance out of service. */
type BrokerState = 'up' | 'down';

@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(ACCESS_REVOCATIONS) private readonly revocations: AccessRevocationList,
  ) {}

  /**
   * Liveness: the process is healthy (its event loop answers). Nothing outside it is checked: a
   * database or broker outage must not get every instance restarted at once.
   */
  @Public()
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: whether this instance can do its job (docs/decisions/0010-readiness-without-broker.md).
   * It needs its database, and an access-revocation list that has read the topic up to where it
   * ended when this process joined: until then it would accept a revoked token (decision 0006).
   * The broker is not required: writes go to the outbox, which the relay sends once the broker is
   * back, so a broker outage is reported as a degraded detail (`broker: 'down'`, still 200). A list
   * that has caught up once stays caught up through the outage (it only misses revocations made
   * during it, as any instance would); a process that never caught up is not ready.
   */
  @Public()
  @Get()
  @HttpCode(200)
  async ready(): Promise<{ status: 'ok'; database: 'up'; broker: BrokerState; revocations: Revocations }> {
    // Taken before the checks below: a list that catches up meanwhile is seen on the next probe.
    const revocations: Revocations = this.revocations.caughtUp() ? 'caught-up' : 'catching-up';
    const results = await Promise.allSettled([this.dataSource.query('SELECT 1'), withTimeout(this.bus.ping(), 2_000)]);
    const [db, broker] = results;
    const database = db?.status === 'fulfilled' ? 'up' : 'down';
    const brokerState: BrokerState = broker?.status === 'fulfilled' ? 'up' : 'down';
    if (database !== 'up' || revocations !== 'caught-up') {
      throw new DomainError(
        'NOT_READY',
        { database, broker: brokerState, revocations },
        { database, broker: brokerState, revocations },
      );
    }
    return { status: 'ok', database: 'up', broker: brokerState, revocations };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);
}
