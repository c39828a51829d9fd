import { Injectable } from '@nestjs/common';
import type { CustomFieldType } from '@thankstar/contracts';
import type { EntityManager } from 'typeorm';
import type { CustomFieldDefinition } from './validate';

export interface StoredCustomFieldDefinition extends CustomFieldDefinition {
  id: string;
  position: number;
}

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
    }[] = await m.query(
      `SELECT id, key, label, type, options, required, position FROM custom_field_definitions
          WHERE tenant_id = $1 ORDER BY position, created_at`,
      [tenantId],
    );
    return rows;
  }
}
