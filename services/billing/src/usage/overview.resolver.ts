import { Query, Resolver } from '@nestjs/graphql';
import { OverviewService } from './overview.service';

/** Back office and platform admins only (the role table); every tenant's invoices are summed. */
@Resolver('BillingOverview')
export class OverviewResolver {
  constructor(private readonly overview: OverviewService) {}

  @Query('billingOverview')
  billingOverview() {
    return this.overview.overview();
  }
}
