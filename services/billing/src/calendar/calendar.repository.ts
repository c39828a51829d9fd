import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import type { BusinessCalendar } from './business-calendar';
import { BusinessCalendarEntity } from './business-calendar.entity';

/**
 * The business calendars table, through TypeORM's entity API (its SQL is TypeORM's): no
 * hand-written statement, so the review file lists none.
 */
export const calendarSql: Record<string, string> = {};

@Injectable()
export class CalendarRepository {
  /** The calendar a tenant has set, or null. */
  get(m: EntityManager, tenantId: string): Promise<BusinessCalendarEntity | null> {
    return m.getRepository(BusinessCalendarEntity).findOneBy({ tenantId });
  }

  /** The calendars these tenants have set, in one query. */
  forTenants(m: EntityManager, tenantIds: readonly string[]): Promise<BusinessCalendarEntity[]> {
    return m.getRepository(BusinessCalendarEntity).findBy({ tenantId: In([...tenantIds]) });
  }

  async save(m: EntityManager, tenantId: string, calendar: BusinessCalendar): Promise<void> {
    await m.getRepository(BusinessCalendarEntity).save(
      m.create(BusinessCalendarEntity, {
        tenantId,
        timezone: calendar.timezone,
        hours: [...calendar.hours],
        nationalHolidays: calendar.nationalHolidays,
        closures: [...calendar.closures],
      }),
    );
  }
}
