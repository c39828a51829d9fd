import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@thankstar/platform';
import { tenantScope } from '../access/tenant-scope';
import { type BusinessCalendar, formatClock } from './business-calendar';
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
