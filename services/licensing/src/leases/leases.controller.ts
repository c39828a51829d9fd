import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { badInput, CurrentPrincipal, type Principal } from '@thankstar/platform';
import { parseLeaseRequest } from './lease-request';
import { LeasesService } from './leases.service';

/**
 * The gateway's API: it takes a lease with the user's own token when a web or mobile client
 * connects, heartbeats while the socket lives, and releases it on close.
 */
@Controller('v1/leases')
export class LeasesController {
  constructor(private readonly leases: LeasesService) {}

  @Post()
  async acquire(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    const request = parseLeaseRequest(body);
    if (!request.ok) throw badInput(request.message);
    return this.leases.acquire(principal, request.value);
  }

  @Post(':id/heartbeat')
  @HttpCode(204)
  async heartbeat(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.leases.heartbeat(principal, id);
  }

  @Delete(':id')
  @HttpCode(204)
  async release(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.leases.release(principal, id);
  }
}
