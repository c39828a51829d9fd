import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { yenColumn } from '../database/yen-column';
import type { PlanTerms } from '../invoicing/invoice';
import type { PopupPrices } from '../rating/rate';

@Entity('plans')
export class PlanEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  code: string;

  @Column()
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** One priced version of a plan; a contract keeps its version until moved. */
@Entity('plan_versions')
export class PlanVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'plan_id', type: 'uuid' })
  planId: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'effective_from', type: 'date' })
  effectiveFrom: string;

  @Column({ name: 'initial_fee_yen', type: 'bigint', transformer: yenColumn })
  initialFeeYen: number;

  @Column({ name: 'maintenance_yen', type: 'bigint', transformer: yenColumn })
  maintenanceYen: number;

  @Column({ name: 'software_fee_per_pc_yen', type: 'bigint', transformer: yenColumn })
  softwareFeePerPcYen: number;

  @Column({ name: 'popup_prices', type: 'jsonb' })
  popupPrices: PopupPrices;

  @Column({ name: 'connection_price_yen', type: 'bigint', transformer: yenColumn })
  connectionPriceYen: number;

  @Column({ name: 'pack_size', type: 'int' })
  packSize: number;

  @Column({ name: 'pack_billing_months', type: 'int' })
  packBillingMonths: number;

  @Column({ name: 'minimum_term_months', type: 'int' })
  minimumTermMonths: number;

  @Column({ name: 'list_input_per_popup_yen', type: 'bigint', transformer: yenColumn })
  listInputPerPopupYen: number;

  @Column({ name: 'list_input_per_record_yen', type: 'bigint', transformer: yenColumn })
  listInputPerRecordYen: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export const termsOf = (v: PlanVersionEntity): PlanTerms => ({
  initialFeeYen: v.initialFeeYen,
  maintenanceYen: v.maintenanceYen,
  softwareFeePerPcYen: v.softwareFeePerPcYen,
  popupPrices: v.popupPrices,
  connectionPriceYen: v.connectionPriceYen,
  packSize: v.packSize,
  packBillingMonths: v.packBillingMonths,
  minimumTermMonths: v.minimumTermMonths,
  listInputPerPopupYen: v.listInputPerPopupYen,
  listInputPerRecordYen: v.listInputPerRecordYen,
});
