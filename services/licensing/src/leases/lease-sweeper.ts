import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, type Config } from '../config';
import { DesktopLeasesService } from './desktop-leases.service';
import { LeasesService } from './leases.service';

/** Expires leases whose client stopped heartbeating (crashed app, lost network). */
@Injectable()
export class LeaseSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LeaseSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly leases: LeasesService,
    private readonly desktop: DesktopLeasesService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      // Desktop leases expire by the same TTL, so a crashed desktop stops counting as someone in.
      this.running = Promise.all([this.leases.sweep(), this.desktop.expireOverdue()]).catch((err: unknown) =>
        this.logger.warn(`lease sweep failed: ${String(err)}`),
      );
    }, this.config.LEASE_SWEEP_SECONDS * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
