import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { checked } from '../access/rule-errors';
import { firstDay, lastDay, parseMonth } from '../calendar/month';

export interface UsageDay {
  date: string;
  class: string;
  popups: number;
  billedPopups: number;
  amountYen: number;
}

@Injectable()
export class UsageService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async month(tenantId: string, month: string) {
    checked(() => parseMonth(month));
    const days: UsageDay[] = await this.db.query(
      `SELECT local_date::text AS date, class, count(*)::int AS "popups",
              count(*) FILTER (WHERE amount_yen > 0)::int AS "billedPopups", sum(amount_yen)::int AS "amountYen"
         FROM rated_calls
        WHERE tenant_id = $1 AND local_date BETWEEN $2 AND $3
        GROUP BY local_date, class ORDER BY local_date, class`,
      [tenantId, firstDay(month), lastDay(month)],
    );
    return {
      month,
      days,
      totalPopups: days.reduce((s, d) => s + d.popups, 0),
      totalAmountYen: days.reduce((s, d) => s + d.amountYen, 0),
    };
  }
}
