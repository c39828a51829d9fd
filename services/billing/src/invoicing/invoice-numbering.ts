import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InvoicesRepository } from './invoices.repository';

/** The number series: invoices INV-000001…, credit notes CN-000001… */
export const SERIES = { invoice: 'INV', 'credit-note': 'CN' } as const;

/** The `count` consecutive numbers of a series ending at `lastNumber` (6 digits, zero-padded). */
export function numberRun(series: string, lastNumber: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${series}-${String(lastNumber - count + 1 + i).padStart(6, '0')}`);
}

/**
 * Gapless numbering (docs/product-rules.md, invoices): numbers are taken from the series' counter
 * row in the caller's transaction, so a rollback returns them and no number is skipped.
 */
@Injectable()
export class InvoiceNumbering {
  constructor(private readonly invoices: InvoicesRepository) {}

  /** `count` consecutive numbers of a series, taken in the caller's transaction. */
  async nextRun(m: EntityManager, series: string, count: number): Promise<string[]> {
    return numberRun(series, await this.invoices.bumpCounter(m, series, count), count);
  }

  async next(m: EntityManager, series: string): Promise<string> {
    return (await this.nextRun(m, series, 1))[0] as string;
  }
}
