import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('signing_keys')
export class SigningKeyEntity {
  @PrimaryColumn()
  kid: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk: Record<string, unknown>;

  /** AES-256-GCM encrypted private JWK (see key-encryption.ts). */
  @Column({ name: 'private_jwk_encrypted' })
  privateJwkEncrypted: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Retired keys stay in the JWKS until tokens signed with them have expired. */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt: Date | null;
}
