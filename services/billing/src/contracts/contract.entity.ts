import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { yenColumn } from '../database/yen-column';
import type { ListInputOption } from '../invoicing/invoice';

export type ContractStatus = 'active' | 'terminated';

@Entity('contracts')
export class ContractEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  /** 宛名 on the qualified invoice. */
  @Column({ name: 'recipient_name' })
  recipientName: string;

  @Column({ name: 'plan_version_id', type: 'uuid' })
  planVersionId: string;

  @Column({ name: 'service_start_date', type: 'date' })
  serviceStartDate: string;

  @Column({ name: 'list_input', type: 'text' })
  listInput: ListInputOption;

  @Column({ type: 'text' })
  status: ContractStatus;

  /** Last month of service (YYYY-MM) once termination is confirmed. */
  @Column({ name: 'end_month', type: 'text', nullable: true })
  endMonth: string | null;

  @Column({ name: 'termination_fee_yen', type: 'bigint', nullable: true, transformer: yenColumn })
  terminationFeeYen: number | null;

  /** Monotonic per tenant: the `version` of billing.contracts.v1. */
  @Column({ name: 'event_version', type: 'int' })
  eventVersion: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity('connection_packs')
export class ConnectionPackEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  /** Each pack is billed yearly from its own purchase month. */
  @Column({ name: 'purchased_on', type: 'date' })
  purchasedOn: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
