import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { localTime } from '../calendar/business-calendar';
import { addMonths, monthIndex, monthOf } from '../calendar/month';
import { InvoicingService } from './invoicing.service';

const LOCK = 'billing.monthly-close';

/**
 * Issues each tenant's invoice for month M from 00:00 on the 1st of M+1 in the tenant's timezone.
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

  private async closeDue(now: Date): Promise<string[]> {
    const contracts: { tenant_id: string; start: string; end_month: string | null; timezone: string }[] =
      await this.db.query(
        `SELECT c.tenant_id, c.service_start_date::text AS start, c.end_month, coalesce(b.timezone, 'Asia/Tokyo') AS timezone
         FROM contracts c LEFT JOIN business_calendars b ON b.tenant_id = c.tenant_id`,
      );
    const issued: string[] = [];
    for (const c of contracts) {
      const month = addMonths(localTime(now, c.timezone).date.slice(0, 7), -1);
      if (monthIndex(month) < monthIndex(monthOf(c.start))) continue;
      if (c.end_month && monthIndex(month) > monthIndex(c.end_month)) continue;
      const [done] = await this.db.query(
        `SELECT 1 FROM invoices WHERE tenant_id = $1 AND month = $2 AND kind = 'invoice' AND status IN ('issued', 'paid')`,
        [c.tenant_id, month],
      );
      if (done) continue;
      try {
        const draft = await this.invoicing.closeMonth(c.tenant_id, month, now);
        if (draft.status === 'draft') issued.push((await this.invoicing.issue(draft.id)).id);
      } catch (err) {
        this.logger.warn(`could not close ${month} for tenant ${c.tenant_id}: ${String(err)}`);
      }
    }
    return issued;
  }
}
