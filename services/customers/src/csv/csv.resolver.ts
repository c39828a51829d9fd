import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, DomainError, type Principal } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { CsvService } from './csv.service';
import type { CsvEncoding } from './csv-stream';
import { ImportRepository } from './import.repository';

interface ImportInput {
  contentBase64: string;
  encoding: CsvEncoding;
  dryRun: boolean;
  mapping?: { column: string; field: string }[] | null;
  dataEntry?: boolean | null;
  jobId?: string | null;
}

@Resolver()
export class CsvResolver {
  constructor(
    private readonly csv: CsvService,
    private readonly jobs: ImportRepository,
    private readonly dataSource: DataSource,
  ) {}

  @Mutation('importCustomersCsv')
  importCsv(@CurrentPrincipal() principal: Principal, @Args('input') input: ImportInput) {
    const file = Buffer.from(input.contentBase64, 'base64');
    if (file.length === 0)
      throw new DomainError('CSV_EMPTY', {
        reason: {
          ja: 'ファイルが空です（contentBase64 は base64 で指定します）。',
          en: 'The file is empty (contentBase64 must be base64).',
        },
      });
    const mapping = Object.fromEntries((input.mapping ?? []).map((m) => [m.column, m.field]));
    return this.csv.import(principal, file, {
      encoding: input.encoding,
      dryRun: input.dryRun,
      mapping,
      dataEntry: input.dataEntry ?? false,
      jobId: input.jobId ?? null,
    });
  }

  @Query('importJob')
  importJob(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    return this.jobs.find(this.dataSource.manager, principal.tenantId, id);
  }

  @Query('importJobs')
  importJobs(@CurrentPrincipal() principal: Principal, @Args('limit') limit: number | null) {
    const n = limit ?? 20;
    if (!Number.isSafeInteger(n) || n < 1 || n > 100)
      throw new DomainError('INVALID_PAGE', {
        reason: { ja: 'limit は1〜100です。', en: 'limit must be between 1 and 100.' },
      });
    return this.jobs.recent(this.dataSource.manager, principal.tenantId, n);
  }

  @Query('exportCustomersCsv')
  async exportCsv(@CurrentPrincipal() principal: Principal, @Args('encoding') encoding: CsvEncoding) {
    return (await this.csv.export(principal.tenantId, encoding)).toString('base64');
  }
}
