import { Injectable } from '@nestjs/common';
import type { CustomFieldType } from '@thankstar/contracts';
import type { EntityManager } from 'typeorm';
import type { CustomFieldDefinition } from './validate';

export interface StoredCustomFieldDefinition extends CustomFieldDefinition {
  id: string;
  position: number;
}

/** Every statement on custom field definitions (reviewed as sql/custom-fields.repository.sql). */
export const customFieldsSql = {
  list: `
    SELECT id, key, label, type, options, required, position FROM custom_field_definitions
     WHERE tenant_id = $1 ORDER BY position, created_at`,
  upsert: `
    INSERT INTO custom_field_definitions (tenant_id, key, label, type, options, required, position)
    VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, (SELECT COALESCE(max(position) + 1, 0) FROM custom_field_definitions WHERE tenant_id = $1)))
    ON CONFLICT (tenant_id, key) DO UPDATE SET label = EXCLUDED.label, type = EXCLUDED.type, options = EXCLUDED.options,
      required = EXCLUDED.required, position = COALESCE($7, custom_field_definitions.position)`,
  // A CTE, because TypeORM answers a bare DELETE with [rows, count] instead of rows.
  remove:
    'WITH gone AS (DELETE FROM custom_field_definitions WHERE tenant_id = $1 AND key = $2 RETURNING id) SELECT id FROM gone',
  // The values live in customers.custom_fields, the column this feature defines the keys of.
  inUse: 'SELECT 1 FROM customers WHERE tenant_id = $1 AND custom_fields ? $2 LIMIT 1',
} satisfies Record<string, string>;

@Injectable()
export class CustomFieldsRepository {
  async list(m: EntityManager, tenantId: string): Promise<StoredCustomFieldDefinition[]> {
    const rows: {
      id: string;
      key: string;
      label: string;
      type: CustomFieldType;
      options: string[];
      required: boolean;
      position: number;
    }[] = await m.query(customFieldsSql.list, [tenantId]);
    return rows;
  }

  async upsert(m: EntityManager, tenantId: string, d: CustomFieldDefinition, position: number | null): Promise<void> {
    await m.query(customFieldsSql.upsert, [tenantId, d.key, d.label, d.type, d.options, d.required, position]);
  }

  async remove(m: EntityManager, tenantId: string, key: string): Promise<boolean> {
    const rows: unknown[] = await m.query(customFieldsSql.remove, [tenantId, key]);
    return rows.length > 0;
  }

  /** Whether any customer of the tenant has a value for the key. */
  async inUse(m: EntityManager, tenantId: string, key: string): Promise<boolean> {
    const rows: unknown[] = await m.query(customFieldsSql.inUse, [tenantId, key]);
    return rows.length > 0;
  }
}
