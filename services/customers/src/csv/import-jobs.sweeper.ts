import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type ImportJob, ImportRepository } from './import.repository';

/** A RUNNING job whose heartbeat is older than this belonged to a process that died (heartbeat every 10 s). */
export const STALE_MS = Number(process.env.IMPORT_STALE_AFTER_MS ?? 120_000);
const EVERY_MS = Number(process.env.IMPORT_SWEEP_INTERVAL_MS ?? 60_000);

/**
 * Imports left RUNNING by a process that died (crash, kill, redeploy mid-upload) do not stay
 * RUNNING forever: on start and then every minute, every replica fails the jobs whose heartbeat
 * stopped (IMPORT_INTERRUPTED) and sends the records their committed chunks keyed to billing.
 * A heartbeat rule rather than "everything RUNNING at start": other replicas' imports are alive.
 */
@Injectable()
export class ImportJobsSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ImportJobsSweeper.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: ImportRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep().catch((err: unknown) => this.logger.warn(`import sweep failed: ${String(err)}`));
    this.timer = setInterval(() => {
      this.sweep().catch((err: unknown) => this.logger.warn(`import sweep failed: ${String(err)}`));
    }, EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Fails the stale RUNNING jobs of every tenant; returns them. */
  async sweep(staleMs = STALE_MS): Promise<ImportJob[]> {
    const failed = await this.dataSource.transaction((m) => this.jobs.failStale(m, staleMs));
    for (const job of failed)
      this.logger.warn(
        `import ${job.id} was left RUNNING by a stopped process: marked FAILED (${job.rowsProcessed} rows saved)`,
      );
    return failed;
  }
}
