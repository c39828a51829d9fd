import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { isProviderStaff } from '@thankstar/contracts';
import { CurrentPrincipal, forbidden, type Principal } from '@thankstar/platform';
import { PairingService } from './pairing.service';
import type { SeatWithUser } from './seats.service';
import { SeatsService } from './seats.service';

const toSeat = (s: SeatWithUser) => ({
  paired: s.paired,
  lastSeenAt: s.lastSeenAt?.toISOString() ?? null,
  connected: s.connected ?? false,
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
  constructor(
    private readonly seats: SeatsService,
    private readonly pairing: PairingService,
  ) {}

  /** The operator's PC asks to be paired (any floor user, for their own PC). */
  @Mutation('requestDesktopPairing')
  async requestPairing(@CurrentPrincipal() principal: Principal, @Args('pcName') pcName?: string) {
    return this.pairing.request(principal, pcName ?? undefined);
  }

  /** The PC polls its own pairing with its secret; the credential comes once. */
  @Mutation('claimDesktopPairing')
  async claimPairing(@CurrentPrincipal() principal: Principal, @Args('id') id: string, @Args('secret') secret: string) {
    return this.pairing.claim(principal, id, secret);
  }

  /** A tenant admin looks a code up before approving it (their own tenant's codes only). */
  @Query('desktopPairing')
  async previewPairing(@CurrentPrincipal() principal: Principal, @Args('code') code: string) {
    const p = await this.pairing.preview(principal, code);
    return {
      id: p.id,
      pcName: p.pcName,
      userId: p.userId,
      userName: p.userName,
      requestedAt: p.requestedAt.toISOString(),
      expiresAt: p.expiresAt.toISOString(),
    };
  }

  @Mutation('approveDesktopPairing')
  async approvePairing(
    @CurrentPrincipal() principal: Principal,
    @Args('code') code: string,
    @Args('name') name?: string,
    @Args('secret') secret?: string,
  ) {
    const approved = await this.pairing.approve(principal, {
      code,
      name: name ?? undefined,
      secret: secret ?? undefined,
    });
    return { seat: toSeat(approved.seat), deviceCredential: approved.deviceCredential };
  }

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
