import { Module } from '@nestjs/common';
import { InvoicesRepository } from './invoices.repository';
import { MonthLocks } from './month-locks';
import { MonthLocksRepository } from './month-locks.repository';

/**
 * The months' close locks and the invoices table, for every feature that places something in a
 * month (rating, keyed records, contracts' packs and terminations) and for the close. Apart from
 * InvoicingModule, which imports those features: they would otherwise import each other.
 */
@Module({
  providers: [MonthLocksRepository, MonthLocks, InvoicesRepository],
  exports: [MonthLocks, InvoicesRepository],
})
export class MonthLocksModule {}
