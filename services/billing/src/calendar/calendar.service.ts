import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { badInput } from '@thankstar/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { checked } from '../access/rule-errors';
import {
  type BusinessCalendar,
  defaultCalendar,
  isValidTimezone,
  type OpeningHours,
  parseClock,
} from './business-calendar';
import { calendarOf } from './business-calendar.entity';
import { CalendarRepository } from './calendar.repository';
import { parseDate } from './month';

export interface CalendarUpdate {
  timezone: string;
  hours: { weekday: number; opensAt?: string | null; closesAt?: string | null }[];
  nationalHolidays: boolean;
  closures: string[];
}

@Injectable()
export class CalendarService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: CalendarRepository,
  ) {}

  /** The tenant's calendar, or the default (Mon–Fri 9–18, holidays, Tokyo) until it sets one. */
  async get(tenantId: string, manager: EntityManager = this.db.manager): Promise<BusinessCalendar> {
    return calendarOf(await this.repo.get(manager, tenantId), defaultCalendar);
  }

  /** The calendars these tenants have set, by tenant id (lower case), in one query; the rest use the default. */
  async forTenants(tenantIds: readonly string[], manager: EntityManager = this.db.manager) {
    const out = new Map<string, BusinessCalendar>();
    if (tenantIds.length === 0) return out;
    for (const e of await this.repo.forTenants(manager, tenantIds)) {
      out.set(e.tenantId.toLowerCase(), calendarOf(e, defaultCalendar));
    }
    return out;
  }

  async update(
    tenantId: string,
    input: CalendarUpdate,
    manager: EntityManager = this.db.manager,
  ): Promise<BusinessCalendar> {
    if (!isValidTimezone(input.timezone))
      throw badInput({
        ja: `「${input.timezone}」は IANA のタイムゾーン名ではありません（例: Asia/Tokyo）。`,
        en: `"${input.timezone}" is not an IANA timezone (e.g. Asia/Tokyo).`,
      });
    const hours: (OpeningHours | null)[] = Array.from({ length: 7 }, () => null);
    const seen = new Set<number>();
    for (const h of input.hours) {
      if (!Number.isInteger(h.weekday) || h.weekday < 0 || h.weekday > 6)
        throw badInput({ ja: '曜日は0（日曜）〜6です。', en: 'weekday is 0 (Sunday) to 6.' });
      if (seen.has(h.weekday))
        throw badInput({ ja: `曜日 ${h.weekday} が2回指定されています。`, en: `Weekday ${h.weekday} is given twice.` });
      seen.add(h.weekday);
      if (h.opensAt == null && h.closesAt == null) continue;
      if (h.opensAt == null || h.closesAt == null)
        throw badInput({
          ja: '開始時刻と終了時刻は両方指定するか、両方空にしてください。',
          en: 'Give both opensAt and closesAt, or neither.',
        });
      const opensAt = checked(() => parseClock(h.opensAt as string));
      const closesAt = checked(() => parseClock(h.closesAt as string));
      if (closesAt <= opensAt)
        throw badInput({
          ja: `曜日 ${h.weekday} の終了時刻は開始時刻より後にしてください。`,
          en: `On weekday ${h.weekday} closing time must be after opening time.`,
        });
      hours[h.weekday] = { opensAt, closesAt };
    }
    const closures = [...new Set(input.closures)].sort();
    for (const d of closures) checked(() => parseDate(d));
    const calendar: BusinessCalendar = {
      timezone: input.timezone,
      hours,
      nationalHolidays: input.nationalHolidays,
      closures,
    };
    await this.repo.save(manager, tenantId, calendar);
    return calendar;
  }
}
