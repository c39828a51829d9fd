import { Module } from '@nestjs/common';
import { CustomFieldsModule } from '../custom-fields/custom-fields.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CustomersRepository } from './customers.repository';
import { CustomersResolver, TenantCustomersResolver } from './customers.resolver';
import { CustomersService } from './customers.service';

/** Customers, their numbers and purchases; the record's write rules are CustomersService's. */
@Module({
  imports: [CustomFieldsModule, WebhooksModule],
  providers: [CustomersRepository, CustomersService, CustomersResolver, TenantCustomersResolver],
  exports: [CustomersRepository, CustomersService],
})
export class CustomersModule {}
