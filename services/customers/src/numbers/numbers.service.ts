import { Injectable } from '@nestjs/common';
import { DomainError, notFound, type Principal } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { checkLength, enforce } from '../customers/limits';
import { phoneKeys } from '../customers/phone-keys';
import { type NumberList, NumbersRepository } from './numbers.repository';

/** The tenant admin's lists of employee (社員) and nuisance (迷惑電話) numbers used to classify calls. */
@Injectable()
export class NumbersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly numbers: NumbersRepository,
  ) {}

  list(tenantId: string, list: NumberList) {
    return this.numbers.list(this.dataSource.manager, tenantId, list);
  }

  async add(principal: Principal, list: NumberList, raw: string, note: string | null) {
    const keys = phoneKeys(raw);
    if (!keys.nationalDigits) throw new DomainError('INVALID_PHONE_NUMBER', { number: raw });
    const trimmed = note?.trim() || null;
    if (list === 'nuisance' && !trimmed) throw new DomainError('REASON_REQUIRED');
    enforce(checkLength('numberNote', trimmed));
    const id = await this.numbers.upsert(this.dataSource.manager, principal.tenantId, list, {
      raw: raw.trim(),
      e164: keys.e164,
      nationalDigits: keys.nationalDigits,
      note: trimmed,
      by: principal.userId,
    });
    const all = await this.list(principal.tenantId, list);
    return all.find((n) => n.id === id);
  }

  async remove(principal: Principal, list: NumberList, id: string): Promise<boolean> {
    if (!(await this.numbers.remove(this.dataSource.manager, principal.tenantId, list, id))) throw notFound('number');
    return true;
  }
}
