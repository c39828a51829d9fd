import { Controller, Get, Param } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@thankstar/platform';
import { SeatsService } from './seats.service';

/**
 * For the gateway: a desktop client names its device id; with a live seat in the caller's
 * tenant it connects without taking a concurrent-connection lease.
 */
@Controller('v1/seats')
export class SeatsController {
  constructor(private readonly seats: SeatsService) {}

  @Get('by-device/:deviceId')
  async byDevice(@CurrentPrincipal() principal: Principal, @Param('deviceId') deviceId: string) {
    const seat = await this.seats.findLive(principal.tenantId, deviceId);
    return { seatId: seat.id, deviceId: seat.deviceId, name: seat.name, userId: seat.userId };
  }
}
