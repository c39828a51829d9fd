import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { yenColumn } from '../database/yen-column';
import type { InvoiceLine } from './invoice';
import type { PaymentTerms } from './payment-terms';
import type { TaxSummary } from './tax';

export type InvoiceKind = 'invoice' | 'credit-note';
export type InvoiceStatus = 'draft' | 'issued' | 'paid' | 'void';

/** A qualified invoice (適格請求書) or a credit note; frozen once issued. */
@Entity('invoices')
export class InvoiceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'text' })
  kind: InvoiceKind;

  @Column()
  month: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  @Column({ type: 'text', nullable: true })
  number: string | null;

  @Column({ type: 'text' })
  status: InvoiceStatus;

  @Column({ name: 'issuer_name' })
  issuerName: string;

  @Column({ name: 'issuer_registration_number' })
  issuerRegistrationNumber: string;

  @Column({ name: 'recipient_name' })
  recipientName: string;

  @Column({ name: 'period_start', type: 'date' })
  periodStart: string;

  @Column({ name: 'period_end', type: 'date' })
  periodEnd: string;

  @Column({ type: 'jsonb' })
  lines: InvoiceLine[];

  @Column({ type: 'jsonb' })
  taxes: TaxSummary[];

  @Column({ name: 'subtotal_yen', type: 'bigint', transformer: yenColumn })
  subtotalYen: number;

  @Column({ name: 'tax_yen', type: 'bigint', transformer: yenColumn })
  taxYen: number;

  @Column({ name: 'total_yen', type: 'bigint', transformer: yenColumn })
  totalYen: number;

  @Column({ name: 'credited_invoice_id', type: 'uuid', nullable: true })
  creditedInvoiceId: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'issued_at', type: 'timestamptz', nullable: true })
  issuedAt: Date | null;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt: Date | null;

  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true })
  voidedAt: Date | null;

  /** The payment settings the invoice was issued with (null on drafts, credit notes and older invoices). */
  @Column({ name: 'payment_terms', type: 'text', nullable: true })
  paymentTerms: PaymentTerms | null;

  @Column({ name: 'payment_term_days', type: 'int', nullable: true })
  paymentTermDays: number | null;

  @Column({ name: 'bank_account', type: 'text', nullable: true })
  bankAccount: string | null;

  /** Every popup written before this instant was rated when the invoice was built (its close's watermark). */
  @Column({ name: 'usage_watermark', type: 'timestamptz', nullable: true })
  usageWatermark: Date | null;
}
