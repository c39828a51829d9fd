import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { badInput, CurrentPrincipal, type Principal } from '@thankstar/platform';
import { DesktopLeasesService, parseDesktopLeaseRequest } from './desktop-leases.service';

/**
 * The gateway's API for desktop sockets, called with the user's own token: it takes a desktop
 * lease when a desktop client connects (the PC's seat must be registered to that user),
 * heartbeats while the socket lives and releases it on close. No concurrent connection is used.
 */
@Controller('v1/desktop-leases')
export class DesktopLeasesController {
  constructor(private readonly leases: DesktopLeasesService) {}

  @Post()
  async acquire(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    const request = parseDesktopLeaseRequest(body);
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
