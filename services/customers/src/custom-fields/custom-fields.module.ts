import { Module } from '@nestjs/common';
import { CustomFieldsRepository } from './custom-fields.repository';
import { CustomFieldsResolver } from './custom-fields.resolver';
import { CustomFieldsService } from './custom-fields.service';

/** The tenant's custom field definitions; others read them through the repository. */
@Module({
  providers: [CustomFieldsRepository, CustomFieldsService, CustomFieldsResolver],
  exports: [CustomFieldsRepository],
})
export class CustomFieldsModule {}
