import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { badInput, CurrentPrincipal, type Principal } from '@thankstar/platform';
import { tenantScope } from '../access/tenant-scope';
import { type BusinessCalendar, formatClock, HOLIDAY_YEARS, nationalHolidaysOf } from './business-calendar';
import { CalendarService, type CalendarUpdate } from './calendar.service';

const toGraphQL = (tenantId: string, c: BusinessCalendar) => ({
  tenantId,
  timezone: c.timezone,
  nationalHolidays: c.nationalHolidays,
  closures: c.closures,
  hours: c.hours.map((h, weekday) => ({
    weekday,
    opensAt: h ? formatClock(h.opensAt) : null,
    closesAt: h ? formatClock(h.closesAt) : null,
  })),
});

@Resolver('BusinessCalendar')
export class CalendarResolver {
  constructor(private readonly calendars: CalendarService) {}

  @Query('businessCalendar')
  async get(@CurrentPrincipal() principal: Principal, @Args('tenantId') tenantId?: string) {
    const tenant = tenantScope(principal, tenantId);
    return toGraphQL(tenant, await this.calendars.get(tenant));
  }

  /** Japanese national holidays of a year, for the calendar page (docs/product-rules.md#closed-days). */
  @Query('nationalHolidays')
  nationalHolidays(@Args('year') year: number) {
    if (!Number.isInteger(year) || year < HOLIDAY_YEARS.first || year > HOLIDAY_YEARS.last)
      throw badInput({
        ja: `祝日は${HOLIDAY_YEARS.first}年から${HOLIDAY_YEARS.last}年まで表示できます。`,
        en: `Holidays are known for ${HOLIDAY_YEARS.first} to ${HOLIDAY_YEARS.last}.`,
      });
    return nationalHolidaysOf(year);
  }

  @Mutation('updateBusinessCalendar')
  async update(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CalendarUpdate,
    @Args('tenantId') tenantId?: string,
  ) {
    const tenant = tenantScope(principal, tenantId);
    return toGraphQL(tenant, await this.calendars.update(tenant, input));
  }
}
