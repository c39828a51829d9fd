import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { PlatformModule } from '@thankstar/platform';
import { ConfigModule } from './config';
import { CsvResolver } from './csv/csv.resolver';
import { CsvService } from './csv/csv.service';
import { CsvUploadController } from './csv/csv-upload.controller';
import { ImportJobsRepository } from './csv/import-jobs.repository';
import { ImportJobsSweeper } from './csv/import-jobs.sweeper';
import { CustomFieldsModule } from './custom-fields/custom-fields.module';
import { CustomersModule } from './customers/customers.module';
import { database } from './database';
import { InteractionsModule } from './interactions/interactions.module';
import { NumbersModule } from './numbers/numbers.module';
import { PopupsModule } from './popups/popups.module';

// The SDL sits at the package root: one level up from src/ (tests run from source), two from dist/src/.
const schemaPath = [join(__dirname, '../schema.graphql'), join(__dirname, '../../schema.graphql')].find((p) =>
  existsSync(p),
);

@Module({
  imports: [
    PlatformModule.forService({ ...database, typePaths: [schemaPath ?? 'schema.graphql'] }),
    ConfigModule,
    CustomFieldsModule,
    CustomersModule,
    NumbersModule,
    InteractionsModule,
    PopupsModule,
  ],
  // The CSV import's own module comes with its split (src/csv is being restructured separately).
  controllers: [CsvUploadController],
  providers: [ImportJobsRepository, CsvService, ImportJobsSweeper, CsvResolver],
})
export class AppModule {}
