import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@thankstar/platform';
import { PopupsService } from './popups.service';

@Resolver('Popup')
export class PopupsResolver {
  constructor(private readonly popups: PopupsService) {}

  @Query('pendingPopups')
  pendingPopups(@CurrentPrincipal() principal: Principal, @Args('since') since: string) {
    return this.popups.pending(principal.tenantId, since);
  }

  @Query('popup')
  popup(@CurrentPrincipal() principal: Principal, @Args('callId') callId: string) {
    return this.popups.popup(principal.tenantId, callId);
  }
}
