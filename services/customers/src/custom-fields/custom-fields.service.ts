import { Injectable } from '@nestjs/common';
import { DomainError, notFound, type Principal } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { checkCount, enforce } from '../customers/limits';
import { CustomFieldsRepository } from './custom-fields.repository';
import { checkDefinition, type DefinitionInput } from './definition';

@Injectable()
export class CustomFieldsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly fields: CustomFieldsRepository,
  ) {}

  list(tenantId: string) {
    return this.fields.list(this.dataSource.manager, tenantId);
  }

  /** Creates or changes a definition. A field's type cannot change once customers hold values for it. */
  async define(principal: Principal, input: DefinitionInput & { position?: number | null }) {
    const checked = checkDefinition(input);
    if ('problem' in checked) throw new DomainError('INVALID_CUSTOM_FIELD_DEFINITION', { reason: checked.problem });
    const d = checked.definition;
    return this.dataSource.transaction(async (m) => {
      const all = await this.fields.list(m, principal.tenantId);
      const existing = all.find((f) => f.key === d.key);
      // Every definition is shown in every popup: their number is bounded (src/customers/limits.ts).
      if (!existing) enforce(checkCount('customFieldDefinitions', all.length + 1));
      if (existing && existing.type !== d.type && (await this.fields.inUse(m, principal.tenantId, d.key))) {
        throw new DomainError('CUSTOM_FIELD_IN_USE', { label: d.label });
      }
      await this.fields.upsert(m, principal.tenantId, d, input.position ?? null);
      return (await this.fields.list(m, principal.tenantId)).find((f) => f.key === d.key);
    });
  }

  async remove(principal: Principal, key: string): Promise<boolean> {
    if (!(await this.fields.remove(this.dataSource.manager, principal.tenantId, key))) throw notFound('customField');
    return true;
  }
}
