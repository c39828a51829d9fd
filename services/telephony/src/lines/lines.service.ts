import { Injectable } from '@nestjs/common';
import { DomainError, notFound } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { callNumberOf } from '../calls/call-number';
import { type Line, LinesRepository } from './lines.repository';

@Injectable()
export class LinesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lines: LinesRepository,
  ) {}

  list(tenantId: string): Promise<Line[]> {
    return this.lines.list(this.dataSource.manager, tenantId);
  }

  get(tenantId: string, id: string): Promise<Line | null> {
    return this.lines.get(this.dataSource.manager, tenantId, id);
  }

  async add(tenantId: string, number: string, label: string | null): Promise<Line> {
    const parsed = callNumberOf(number, 'line');
    if (!parsed?.e164) throw new DomainError('INVALID_NUMBER', { number });
    const created = await this.lines.insert(this.dataSource.manager, tenantId, {
      numberRaw: number,
      numberE164: parsed.e164,
      label: cleanLabel(label),
    });
    if (!created) throw new DomainError('LINE_EXISTS', { number: parsed.display ?? number });
    return created;
  }

  async relabel(tenantId: string, id: string, label: string | null): Promise<Line> {
    if (!(await this.get(tenantId, id))) throw notFound('line');
    const line = await this.lines.relabel(this.dataSource.manager, tenantId, id, cleanLabel(label));
    if (!line) throw notFound('line');
    return line;
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    if (!(await this.lines.remove(this.dataSource.manager, tenantId, id))) throw notFound('line');
    return true;
  }
}

function cleanLabel(label: string | null): string | null {
  const trimmed = label?.trim() ?? '';
  if (trimmed.length > 100) throw new DomainError('INVALID_LABEL');
  return trimmed === '' ? null : trimmed;
}
