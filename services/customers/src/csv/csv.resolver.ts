import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, DomainError, type Principal, Roles } from '@thankstar/platform';
import { type CsvEncoding, CsvService } from './csv.service';

interface ImportInput {
  contentBase64: string;
  encoding: CsvEncoding;
  dryRun: boolean;
  mapping?: { column: string; field: string }[] | null;
}

@Resolver()
export class CsvResolver {
  constructor(private readonly csv: CsvService) {}

  @Roles('tenant-admin')
  @Mutation('importCustomersCsv')
  importCsv(@CurrentPrincipal() principal: Principal, @Args('input') input: ImportInput) {
    const file = Buffer.from(input.contentBase64, 'base64');
    if (file.length === 0) throw new DomainError('CSV_EMPTY', 'The file is empty (contentBase64 must be base64).');
    const mapping = Object.fromEntries((input.mapping ?? []).map((m) => [m.column, m.field]));
    return this.csv.import(principal, file, { encoding: input.encoding, dryRun: input.dryRun, mapping });
  }

  @Roles('tenant-admin')
  @Query('exportCustomersCsv')
  async exportCsv(@CurrentPrincipal() principal: Principal, @Args('encoding') encoding: CsvEncoding) {
    return (await this.csv.export(principal.tenantId, encoding)).toString('base64');
  }
}
