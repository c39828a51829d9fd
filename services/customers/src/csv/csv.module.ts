import { Module } from '@nestjs/common';
import { CustomFieldsModule } from '../custom-fields/custom-fields.module';
import { CustomersModule } from '../customers/customers.module';
import { CsvResolver } from './csv.resolver';
import { CsvService } from './csv.service';
import { CsvUploadController } from './csv-upload.controller';
import { ImportRepository } from './import.repository';
import { ImportJobsSweeper } from './import-jobs.sweeper';

/** CSV import (GraphQL and the upload endpoint), its jobs and their sweeper, and the export. */
@Module({
  imports: [CustomersModule, CustomFieldsModule],
  controllers: [CsvUploadController],
  providers: [ImportRepository, CsvService, ImportJobsSweeper, CsvResolver],
})
export class CsvModule {}
