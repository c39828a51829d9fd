import { Module } from '@nestjs/common';
import { CalendarRepository } from './calendar.repository';
import { CalendarResolver } from './calendar.resolver';
import { CalendarService } from './calendar.service';

/** Each tenant's business calendar (hours, closed days, 祝日, zone): rating and the close read it. */
@Module({
  providers: [CalendarRepository, CalendarService, CalendarResolver],
  exports: [CalendarService],
})
export class CalendarModule {}
