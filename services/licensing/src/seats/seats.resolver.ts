import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { isProviderStaff } from '@thankstar/contracts';
import { CurrentPrincipal, forbidden, type Principal } from '@thankstar/platform';
import type { SeatWithUser } from './seats.service';
import { SeatsService } from './seats.service';

const toSeat = (s: SeatWithUser) => ({
  id: s.id,
  deviceId: s.deviceId,
  name: s.name,
  userId: s.userId,
  userName: s.userName,
  registeredAt: s.registeredAt.toISOString(),
  deregisteredAt: s.deregisteredAt?.toISOString() ?? null,
});

@Resolver()
export class SeatsResolver {
  constructor(private readonly seats: SeatsService) {}

  @Query('seats')
  async list(@CurrentPrincipal() principal: Principal, @Args('includeDeregistered') includeDeregistered?: boolean) {
    return (await this.seats.list(principal.tenantId, includeDeregistered ?? false)).map(toSeat);
  }

  @Mutation('registerSeat')
  async register(
    @CurrentPrincipal() principal: Principal,
    @Args('deviceId') deviceId: string,
    @Args('name') name: string,
    @Args('userId') userId: string,
  ) {
    return toSeat(await this.seats.register(principal, { deviceId, name, userId }));
  }

  @Mutation('deregisterSeat')
  async deregister(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    return toSeat(await this.seats.deregister(principal, id));
  }

  /** Tenant admins see their own tenant; back office may name any tenant (provider roles only). */
  @Query('billableSeats')
  async billable(
    @CurrentPrincipal() principal: Principal,
    @Args('month') month: string,
    @Args('tenantId') tenantId?: string,
  ) {
    const backOffice = isProviderStaff(principal.roles);
    if (tenantId && tenantId !== principal.tenantId && !backOffice)
      throw forbidden({ ja: '自分のテナントのPCだけを見られます。', en: 'You can only see your own tenant’s PCs.' });
    const billable = await this.seats.billableInMonth(tenantId ?? principal.tenantId, month);
    return { ...billable, seats: billable.seats.map(toSeat) };
  }
}
