import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError, notFound } from '@thankstar/platform';
import type { Repository } from 'typeorm';
import { callNumberOf } from '../calls/call-number';
import { LineEntity } from './line.entity';

@Injectable()
export class LinesService {
  constructor(@InjectRepository(LineEntity) private readonly lines: Repository<LineEntity>) {}

  list(tenantId: string): Promise<LineEntity[]> {
    return this.lines.find({ where: { tenantId }, order: { createdAt: 'ASC' } });
  }

  get(tenantId: string, id: string): Promise<LineEntity | null> {
    return this.lines.findOneBy({ tenantId, id });
  }

  async add(tenantId: string, number: string, label: string | null): Promise<LineEntity> {
    const parsed = callNumberOf(number, 'line');
    if (!parsed?.e164) throw new DomainError('INVALID_NUMBER', { number });
    const rows: LineEntity[] = await this.lines.query(
      `INSERT INTO lines (tenant_id, number_raw, number_e164, label) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, number_e164) DO NOTHING RETURNING id`,
      [tenantId, number, parsed.e164, cleanLabel(label)],
    );
    const created = rows[0];
    if (!created) throw new DomainError('LINE_EXISTS', { number: parsed.display ?? number });
    return this.lines.findOneByOrFail({ tenantId, id: created.id });
  }

  async relabel(tenantId: string, id: string, label: string | null): Promise<LineEntity> {
    const line = await this.get(tenantId, id);
    if (!line) throw notFound('line');
    line.label = cleanLabel(label);
    return this.lines.save(line);
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    const result = await this.lines.delete({ tenantId, id });
    if (!result.affected) throw notFound('line');
    return true;
  }
}

function cleanLabel(label: string | null): string | null {
  const trimmed = label?.trim() ?? '';
  if (trimmed.length > 100) throw new DomainError('INVALID_LABEL');
  return trimmed === '' ? null : trimmed;
}
