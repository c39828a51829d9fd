import type { PhoneNumber } from '@thankstar/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CallStatus } from './call-state';

export type CallSource = 'webhook' | 'sip' | 'twilio' | 'number-display';

/** One incoming call as it stands now; its history is in call_events. */
@Entity('calls')
export class CallEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  /** The source's own id for the call. */
  @Column({ name: 'call_id' })
  callId: string;

  @Column({ type: 'text' })
  source: CallSource;

  @Column({ type: 'text' })
  status: CallStatus;

  @Column({ name: 'from_number', type: 'jsonb' })
  from: PhoneNumber;

  @Column({ name: 'to_number', type: 'jsonb' })
  to: PhoneNumber;

  @Column({ name: 'line_id', type: 'uuid', nullable: true })
  lineId: string | null;

  @Column({ type: 'text', nullable: true })
  extension: string | null;

  @Column({ name: 'operator_id', type: 'text', nullable: true })
  operatorId: string | null;

  @Column({ name: 'ringing_at', type: 'timestamptz' })
  ringingAt: Date;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;
}
