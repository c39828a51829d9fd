import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { BusinessCalendar, OpeningHours } from './business-calendar';

@Entity('business_calendars')
export class BusinessCalendarEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column()
  timezone: string;

  /** Seven entries, Sunday first; null = closed weekday. */
  @Column({ type: 'jsonb' })
  hours: (OpeningHours | null)[];

  @Column({ name: 'national_holidays' })
  nationalHolidays: boolean;

  @Column({ type: 'text', array: true })
  closures: string[];

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

export const calendarOf = (e: BusinessCalendarEntity | null, fallback: BusinessCalendar): BusinessCalendar =>
  e ? { timezone: e.timezone, hours: e.hours, nationalHolidays: e.nationalHolidays, closures: e.closures } : fallback;
