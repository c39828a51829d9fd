import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityRepository } from '../src/identity/identity.repository';
import { startTestApp, type TestApp } from './support';

/**
 * Issue 20 item 1: the back office finds a tenant by name among many (the old list stopped at 10
 * rows). Search is a case-insensitive substring of the name, one page at a time, sorted.
 */
let t: TestApp;
const tag = randomUUID().slice(0, 8);
const names = Array.from({ length: 12 }, (_, i) => `検索テスト${tag}-${String(i + 1).padStart(2, '0')}`);
const ids = new Map<string, string>();

const PAGE = `query($s: String, $o: Int, $l: Int, $sort: TenantSort, $d: Boolean) {
  tenantPage(search: $s, offset: $o, limit: $l, sort: $sort, descending: $d) { total items { id name timezone } } }`;
const codeOf = (r: { errors?: { extensions: { code: string } }[] }) => r.errors?.[0]?.extensions.code;

beforeAll(async () => {
  t = await startTestApp();
  const identity = t.app.get(IdentityRepository);
  for (const name of names) {
    const tenant = await identity.insertTenant(t.db.manager, { name, timezone: 'Asia/Tokyo' });
    ids.set(name, tenant.id);
  }
  await identity.insertTenant(t.db.manager, { name: `100%_${tag}`, timezone: 'Asia/Tokyo' });
});
afterAll(async () => {
  await t?.close();
});

describe('tenantPage (back office, sales, platform admins)', () => {
  it('finds tenants by part of the name, a page at a time, with the total', async () => {
    const bo = await t.sign({ tenantId: randomUUID(), roles: ['back-office'] });
    const first = (await t.gql(bo, PAGE, { s: `テスト${tag}`, l: 5 })).data.tenantPage;
    expect(first.total).toBe(12);
    expect(first.items.map((x: { name: string }) => x.name)).toEqual(names.slice(0, 5));
    const last = (await t.gql(bo, PAGE, { s: `テスト${tag}`, o: 10, l: 5 })).data.tenantPage;
    expect(last).toMatchObject({ total: 12 });
    expect(last.items.map((x: { name: string }) => x.name)).toEqual(names.slice(10));
    const desc = (await t.gql(bo, PAGE, { s: tag, l: 2, d: true })).data.tenantPage;
    expect(desc.items.map((x: { name: string }) => x.name)).toEqual([names[11], names[10]]);
    const newest = (await t.gql(bo, PAGE, { s: `テスト${tag}`, l: 1, sort: 'CREATED_AT', d: true })).data.tenantPage;
    expect(newest.items[0].name).toBe(names[11]);
    // One exact tenant, case and width as typed; % and _ are letters, not wildcards.
    const one = (await t.gql(bo, PAGE, { s: ` ${tag}-07 ` })).data.tenantPage;
    expect(one.items).toEqual([{ id: ids.get(names[6] as string), name: names[6], timezone: 'Asia/Tokyo' }]);
    expect((await t.gql(bo, PAGE, { s: `%_${tag}` })).data.tenantPage.total).toBe(1);
    expect((await t.gql(bo, PAGE, { s: `_${tag}` })).data.tenantPage.total).toBe(1);
    expect((await t.gql(bo, PAGE, { s: `${tag}%` })).data.tenantPage.total).toBe(0);
    // No search: every customer tenant (never the provider's own), more than the old 10.
    const all = (await t.gql(bo, PAGE, { l: 200 })).data.tenantPage;
    expect(all.total).toBeGreaterThanOrEqual(13);
    expect(all.items.length).toBe(all.total);
  });

  it('shows one tenant by id, refuses bad pages in Japanese, and only provider staff list tenants', async () => {
    const sales = await t.sign({ tenantId: randomUUID(), roles: ['sales'] });
    const id = ids.get(names[0] as string);
    expect((await t.gql(sales, 'query($id: ID!) { tenant(id: $id) { name } }', { id })).data.tenant.name).toBe(
      names[0],
    );
    const missing = await t.gql(sales, 'query($id: ID!) { tenant(id: $id) { name } }', { id: randomUUID() });
    expect(codeOf(missing)).toBe('NOT_FOUND');
    const bad = await t.gql(sales, PAGE, { l: 0 });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].message).toContain('1〜200件');
    expect(codeOf(await t.gql(sales, PAGE, { o: -1 }))).toBe('BAD_USER_INPUT');
    // A customer's admin cannot list or read other tenants.
    const tenantAdmin = await t.sign({ tenantId: id as string, roles: ['tenant-admin'] });
    expect(codeOf(await t.gql(tenantAdmin, PAGE, {}))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(tenantAdmin, 'query($id: ID!) { tenant(id: $id) { name } }', { id }))).toBe('FORBIDDEN');
  });
});
