import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@thankstar/platform';
import { TwilioAccountsService } from './twilio-accounts.service';

@Resolver()
export class TwilioResolver {
  constructor(private readonly accounts: TwilioAccountsService) {}

  @Query('twilioAccountSid')
  twilioAccountSid(@CurrentPrincipal() principal: Principal) {
    return this.accounts.accountSid(principal.tenantId);
  }

  @Mutation('connectTwilio')
  connectTwilio(
    @CurrentPrincipal() principal: Principal,
    @Args('accountSid') accountSid: string,
    @Args('authToken') authToken: string,
  ) {
    return this.accounts.set(principal.tenantId, accountSid, authToken);
  }
}
