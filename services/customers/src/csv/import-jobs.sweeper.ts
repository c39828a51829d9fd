import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CONFIG, type CustomersConfig } from '../config';
import { type ImportJob, ImportRepository } from './import.repository';

/**
 * Imports left RUNNING by a process that died (crash, kill, redeploy mid-upload) do not stay
 * RUNNING forever: on start and then every minute, every replica fails the jobs whose heartbeat
 * stopped (IMPORT_INTERRUPTED) and sends the records their committed chunks keyed to billing.
 * A heartbeat rule rather than "everything RUNNING at start": other replicas' imports are alive.
 * A RUNNING job whose heartbeat is older than IMPORT_STALE_AFTER_MS (CONFIG; the heartbeat is every
 * IMPORT_HEARTBEAT_MS) belonged to a process that died; the sweep runs every IMPORT_SWEEP_INTERVAL_MS.
 */
@Injectable()
export class ImportJobsSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ImportJobsSweeper.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: ImportRepository,
    @Inject(CONFIG)
    private readonly config: Pick<CustomersConfig, 'IMPORT_STALE_AFTER_MS' | 'IMPORT_SWEEP_INTERVAL_MS'>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep().catch((err: unknown) => this.logger.warn(`import sweep failed: ${String(err)}`));
    this.timer = setInterval(() => {
      this.sweep().catch((err: unknown) => this.logger.warn(`import sweep failed: ${String(err)}`));
    }, this.config.IMPORT_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Fails the stale RUNNING jobs of every tenant; returns them. */
  async sweep(staleMs = this.config.IMPORT_STALE_AFTER_MS): Promise<ImportJob[]> {
    const failed = await this.dataSource.transaction((m) => this.jobs.failStale(m, staleMs));
    for (const job of failed)
      this.logger.warn(
        `import ${job.id} was left RUNNING by a stopped process: marked FAILED (${job.rowsProcessed} rows saved)`,
      );
    return failed;
  }
}
