import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DEFAULT_TIME_ZONE, monthBounds } from '@thankstar/contracts';
import type { DataSource } from 'typeorm';
import { addMonths } from '../calendar/month';
import { OverviewRepository } from './overview.repository';

/** The month (YYYY-MM) an instant falls in, in a zone. */
export const monthAt = (instant: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(instant).slice(0, 7);

@Injectable()
export class OverviewService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: OverviewRepository,
  ) {}

  /** This month and last in the provider's zone (Tokyo), and what waits to be issued or paid. */
  async overview(now = new Date()) {
    const m = this.db.manager;
    const thisMonth = monthAt(now, DEFAULT_TIME_ZONE);
    const lastMonth = addMonths(thisMonth, -1);
    const revenue = async (month: string) => {
      const { start, end } = monthBounds(month, DEFAULT_TIME_ZONE);
      const r = await this.repo.revenueBetween(m, start, end);
      return { month, invoicedYen: r.yen, invoices: r.invoices };
    };
    const [current, previous, waiting] = await Promise.all([
      revenue(thisMonth),
      revenue(lastMonth),
      this.repo.waiting(m),
    ]);
    return { thisMonth: current, lastMonth: previous, ...waiting };
  }
}
