import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { InvoicingService } from './invoicing.service';
import { lateCall } from './month-locks';

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
  ) {}

  onApplicationBootstrap(): void {
    if (process.env.BILLING_SCHEDULER === 'off') return;
    const everyMs = Number(process.env.BILLING_CLOSE_INTERVAL_MS ?? 60_000);
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
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [LOCK]);
      if (!locked) return [];
      try {
        return await this.closeDue(now);
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK]);
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
    const due: { tenant_id: string; month: string }[] = await this.db.query(
      `SELECT DISTINCT c.tenant_id, to_char(m, 'YYYY-MM') AS month
         FROM contracts c
         LEFT JOIN business_calendars b ON b.tenant_id = c.tenant_id
        CROSS JOIN LATERAL generate_series(
                date_trunc('month', c.service_start_date::timestamp),
                date_trunc('month', $1::timestamptz AT TIME ZONE coalesce(b.timezone, 'Asia/Tokyo')) - interval '1 month',
                interval '1 month') AS m
        WHERE (c.end_month IS NULL OR to_char(m, 'YYYY-MM') <= c.end_month
               -- After the end month only to settle late usage of the contract's months (0007).
               OR EXISTS (SELECT 1 FROM rated_calls r WHERE r.tenant_id = c.tenant_id
                             AND r.billed_month = to_char(m, 'YYYY-MM') AND ${lateCall('r.')})
               OR EXISTS (SELECT 1 FROM keyed_imports k WHERE k.tenant_id = c.tenant_id
                             AND k.month = to_char(m, 'YYYY-MM') AND k.keyed_month <> k.month))
          AND NOT EXISTS (SELECT 1 FROM invoices i
                           WHERE i.tenant_id = c.tenant_id AND i.month = to_char(m, 'YYYY-MM')
                             AND i.kind = 'invoice' AND i.status IN ('issued', 'paid'))
        ORDER BY month`,
      [now.toISOString()],
    );
    const byMonth = new Map<string, string[]>();
    for (const d of due) byMonth.set(d.month, [...(byMonth.get(d.month) ?? []), d.tenant_id]);
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
