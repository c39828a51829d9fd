import { describe, expect, it } from 'vitest';
import {
  completeMapping,
  importPath,
  mappingColumns,
  newJobId,
  percentRead,
  rowsForReview,
  sameMapping,
} from './rules';

describe('customer import rules', () => {
  it('puts the options in the upload URL, the mapping as JSON only when there is one', () => {
    const jobId = '5f0c1f7e-8a39-4b55-9d3e-2f6a1c0b7e11';
    const plain = new URL(importPath({ encoding: 'SHIFT_JIS', dryRun: true, jobId, mapping: {} }), 'http://x');
    expect(plain.pathname).toBe('/v1/customers/import');
    expect(Object.fromEntries(plain.searchParams)).toEqual({ encoding: 'SHIFT_JIS', dryRun: 'true', jobId });

    const mapped = new URL(
      importPath({ encoding: 'UTF8', dryRun: false, jobId, mapping: { '担当 メモ&': 'notes', 旧ID: '' } }),
      'http://x',
    );
    expect(mapped.searchParams.get('dryRun')).toBe('false');
    expect(JSON.parse(mapped.searchParams.get('mapping') ?? '')).toEqual({ '担当 メモ&': 'notes', 旧ID: '' });
  });

  it('makes v4 UUIDs the service accepts as job ids', () => {
    const ids = new Set(Array.from({ length: 50 }, newJobId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('offers mapped columns first, then the unmapped ones, and sends unchosen ones as ignored', () => {
    const columns = mappingColumns({ 担当: 'notes' }, ['旧ID', '担当']);
    expect(columns).toEqual(['担当', '旧ID']);
    expect(completeMapping(columns, { 担当: 'notes' })).toEqual({ 担当: 'notes', 旧ID: '' });
  });

  it('compares mappings by what they import: an ignored column is an unmapped one', () => {
    expect(sameMapping({ a: 'notes', b: '' }, { b: '', a: 'notes' })).toBe(true);
    expect(sameMapping({ a: 'notes' }, { a: '' })).toBe(false);
    expect(sameMapping({ a: 'notes' }, { a: 'tags' })).toBe(false);
    expect(sameMapping({ a: '' }, {})).toBe(true);
    expect(sameMapping({}, { a: 'notes' })).toBe(false);
  });

  it('reports progress as the share of bytes read, or none when the size is unknown', () => {
    expect(percentRead(null)).toBeNull();
    expect(percentRead({ bytesRead: 10, bytesTotal: null })).toBeNull();
    expect(percentRead({ bytesRead: 0, bytesTotal: 0 })).toBeNull();
    expect(percentRead({ bytesRead: 250, bytesTotal: 1000 })).toBe(25);
    expect(percentRead({ bytesRead: 1200, bytesTotal: 1000 })).toBe(100);
  });
});

describe('rowsForReview', () => {
  it('puts the rows with problems first, each group in file order, and keeps every row', () => {
    const rows = [
      { line: 2, problems: [] },
      { line: 9, problems: ['A customer needs a name.'] },
      { line: 3, problems: [] },
      { line: 5, problems: ['Bad phone number.'] },
    ];
    expect(rowsForReview(rows).map((r) => r.line)).toEqual([5, 9, 2, 3]);
    expect(rows.map((r) => r.line)).toEqual([2, 9, 3, 5]);
  });
});
