import { DEFAULT_TIME_ZONE } from '@thankstar/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('tenants')
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  name: string;

  @Column({ default: DEFAULT_TIME_ZONE })
  timezone: string;

  /** The provider's own tenant, home of back-office, sales and platform-admin users. */
  @Column({ name: 'is_provider', default: false })
  isProvider: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
