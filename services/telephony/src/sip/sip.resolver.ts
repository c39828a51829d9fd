import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@thankstar/platform';
import { SipListenerService, type SipSettingsView } from './sip-listener.service';

const toGraphQL = (settings: SipSettingsView | null) =>
  settings && {
    ...settings,
    transport: settings.transport.toUpperCase(),
    registrationState: settings.registrationState?.toUpperCase() ?? null,
  };

@Resolver()
export class SipResolver {
  constructor(private readonly sip: SipListenerService) {}

  @Query('sipSettings')
  async sipSettings(@CurrentPrincipal() principal: Principal) {
    return toGraphQL(await this.sip.settings(principal.tenantId));
  }

  @Mutation('configureSip')
  async configureSip(
    @CurrentPrincipal() principal: Principal,
    @Args('registrar') registrar: string,
    @Args('username') username: string,
    @Args('password') password: string,
    @Args('transport') transport: 'UDP' | 'TCP',
  ) {
    return toGraphQL(
      await this.sip.configure(principal.tenantId, {
        registrar,
        username,
        password,
        transport: transport === 'TCP' ? 'tcp' : 'udp',
      }),
    );
  }
}
