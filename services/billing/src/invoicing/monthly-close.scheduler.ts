import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type BillingConfig, CONFIG } from '../config';
import { InvoicesRepository } from './invoices.repository';
import { InvoicingService } from './invoicing.service';

const LOCK = 'billing.monthly-close';

/**
 * Issues each tenant's invoice for month M from 00:00 on the 1st of M+1 in the tenant's timezone,
 * once rating has consumed the popups topic past that instant plus a grace (the pipeline
 * watermark, `PipelineWatermarkService`); until then the month waits and is retried every tick.
 * Every replica ticks; a session advisory lock lets one of them work at a time, and the close
 * itself is idempotent per tenant and month, so a missed or doubled tick does no harm.
 */
@Injectable()
export class MonthlyCloseScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MonthlyCloseScheduler.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly invoicing: InvoicingService,
    private readonly invoices: InvoicesRepository,
    @Inject(CONFIG) private readonly config: BillingConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.BILLING_SCHEDULER) return;
    const everyMs = this.config.BILLING_CLOSE_INTERVAL_MS;
    this.timer = setInterval(() => {
      this.tick().catch((err: unknown) => this.logger.warn(`monthly close tick failed: ${String(err)}`));
    }, everyMs);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Closes and issues every month that is over and not invoiced yet; returns the invoice ids. */
  async tick(now = new Date()): Promise<string[]> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      if (!(await this.invoices.tryCloseLock(runner.manager, LOCK))) return [];
      try {
        return await this.closeDue(now);
      } finally {
        await this.invoices.releaseCloseLock(runner.manager, LOCK);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * Every month that is over in the tenant's zone, from the contract's start month (or the month
   * after its end, for none), without an issued invoice: the last month normally, and every
   * missed month after downtime (catch-up on start). Closed month by month, oldest first, each
   * month set-based for all its tenants.
   */
  private async closeDue(now: Date): Promise<string[]> {
    const due = await this.invoices.dueMonths(this.db.manager, now);
    const byMonth = new Map<string, string[]>();
    for (const d of due) byMonth.set(d.month, [...(byMonth.get(d.month) ?? []), d.tenantId]);
    const issued: string[] = [];
    for (const [month, tenants] of byMonth) {
      try {
        const { invoiceIds, refused } = await this.invoicing.closeMonthMany(tenants, month, { now, issue: true });
        // The close waits for the pipeline: one line per month, not one per tenant and tick.
        const waiting = [...refused.values()].filter(
          (e) => e.code === 'PIPELINE_BEHIND' || e.code === 'PIPELINE_UNKNOWN',
        );
        if (waiting.length > 0) {
          this.logger.log(
            `closing ${month} waits for rating to pass its watermark (${waiting.length} tenants): ${waiting[0]?.code}`,
          );
        }
        for (const [tenantId, err] of refused) {
          if (err.code === 'PIPELINE_BEHIND' || err.code === 'PIPELINE_UNKNOWN') continue;
          this.logger.warn(`could not close ${month} for tenant ${tenantId}: ${err.message}`);
        }
        for (const [tenantId, id] of invoiceIds) if (!refused.has(tenantId)) issued.push(id);
      } catch (err) {
        this.logger.warn(`could not close ${month}: ${String(err)}`);
      }
    }
    return issued;
  }
}
