import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { checked } from '../access/rule-errors';
import { parseMonth } from '../calendar/month';
import { RatingRepository, type UsageDay } from '../rating/rating.repository';

@Injectable()
export class UsageService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly rating: RatingRepository,
  ) {}

  async month(tenantId: string, month: string) {
    checked(() => parseMonth(month));
    const days = await this.rating.usageByDay(this.db.manager, tenantId, month);
    return {
      month,
      days,
      totalPopups: days.reduce((s, d) => s + d.popups, 0),
      totalAmountYen: days.reduce((s, d) => s + d.amountYen, 0),
    };
  }
}
