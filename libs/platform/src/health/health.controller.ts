import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.guard';
import type { MessageBus } from '../kafka/message-bus';
import { MESSAGE_BUS } from '../nest/tokens';

@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}

  /** Liveness: the process answers. */
  @Public()
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the database and the broker answer. */
  @Public()
  @Get()
  @HttpCode(200)
  async ready(): Promise<{ status: 'ok'; database: 'up'; broker: 'up' }> {
    const results = await Promise.allSettled([this.dataSource.query('SELECT 1'), withTimeout(this.bus.ping(), 2_000)]);
    const [db, broker] = results;
    if (db?.status !== 'fulfilled' || broker?.status !== 'fulfilled') {
      throw new ServiceUnavailableException({
        message: `database ${db?.status === 'fulfilled' ? 'up' : 'down'}, broker ${broker?.status === 'fulfilled' ? 'up' : 'down'}`,
      });
    }
    return { status: 'ok', database: 'up', broker: 'up' };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);
}
