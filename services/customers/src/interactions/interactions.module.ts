import { Module } from '@nestjs/common';
import { CustomFieldsModule } from '../custom-fields/custom-fields.module';
import { CustomersModule } from '../customers/customers.module';
import { CustomerInteractionsResolver } from './customer-interactions.resolver';
import { InteractionsRepository } from './interactions.repository';
import { InteractionsResolver } from './interactions.resolver';
import { InteractionsService } from './interactions.service';

/**
 * 対応履歴 and what happens during a call: taking it, notes, outcome, follow-up, profile
 * corrections. Exports its repository: the popups feature joins the calls' live facts from it.
 */
@Module({
  imports: [CustomersModule, CustomFieldsModule],
  providers: [InteractionsRepository, InteractionsService, InteractionsResolver, CustomerInteractionsResolver],
  exports: [InteractionsRepository],
})
export class InteractionsModule {}
