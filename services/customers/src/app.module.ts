import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { PlatformModule } from '@thankstar/platform';
import { CsvResolver } from './csv/csv.resolver';
import { CsvService } from './csv/csv.service';
import { CsvUploadController } from './csv/csv-upload.controller';
import { ImportJobsRepository } from './csv/import-jobs.repository';
import { ImportJobsSweeper } from './csv/import-jobs.sweeper';
import { CustomFieldsRepository } from './custom-fields/custom-fields.repository';
import { CustomFieldsResolver } from './custom-fields/custom-fields.resolver';
import { CustomFieldsService } from './custom-fields/custom-fields.service';
import { CustomersRepository } from './customers/customers.repository';
import { CustomersResolver, TenantCustomersResolver } from './customers/customers.resolver';
import { CustomersService } from './customers/customers.service';
import { database } from './database';
import { InteractionsRepository } from './interactions/interactions.repository';
import { InteractionsResolver } from './interactions/interactions.resolver';
import { InteractionsService } from './interactions/interactions.service';
import { NumbersRepository } from './numbers/numbers.repository';
import { EmployeeNumbersResolver, NuisanceNumbersResolver } from './numbers/numbers.resolver';
import { NumbersService } from './numbers/numbers.service';
import { CallEventsConsumer } from './popups/call-events.consumer';
import { PopupsRepository } from './popups/popups.repository';
import { PopupsResolver } from './popups/popups.resolver';
import { PopupsService } from './popups/popups.service';

// The SDL sits at the package root: one level up from src/ (tests run from source), two from dist/src/.
const schemaPath = [join(__dirname, '../schema.graphql'), join(__dirname, '../../schema.graphql')].find((p) =>
  existsSync(p),
);

@Module({
  imports: [PlatformModule.forService({ ...database, typePaths: [schemaPath ?? 'schema.graphql'] })],
  controllers: [CsvUploadController],
  providers: [
    CustomersRepository,
    CustomFieldsRepository,
    InteractionsRepository,
    NumbersRepository,
    PopupsRepository,
    ImportJobsRepository,
    CustomersService,
    PopupsService,
    InteractionsService,
    NumbersService,
    CustomFieldsService,
    CsvService,
    ImportJobsSweeper,
    CallEventsConsumer,
    CustomersResolver,
    TenantCustomersResolver,
    InteractionsResolver,
    PopupsResolver,
    EmployeeNumbersResolver,
    NuisanceNumbersResolver,
    CustomFieldsResolver,
    CsvResolver,
  ],
})
export class AppModule {}
