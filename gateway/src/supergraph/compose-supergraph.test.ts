import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeSupergraph, placeholderUrl } from './compose-supergraph';

const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

function servicesDir(schemas: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'compose-'));
  for (const [name, sdl] of Object.entries(schemas)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'schema.graphql'), sdl);
  }
  return dir;
}

const all = {
  telephony: `${link}\ntype Query { callCount: Int! }`,
  customers: `${link}\ntype Tenant @key(fields: "id") { id: ID! customerCount: Int! }\ntype Query { customerCount: Int! }`,
  billing: `${link}\ntype Query { invoiceCount: Int! }`,
  licensing: `${link}\ntype Tenant @key(fields: "id") { id: ID! name: String! }\ntype Query { tenantName: String! }`,
};

describe('composeSupergraph', () => {
  it('composes the four subgraphs with placeholder URLs', () => {
    const outcome = composeSupergraph(servicesDir(all), true);
    if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
    expect(outcome.missing).toEqual([]);
    for (const name of Object.keys(all)) expect(outcome.supergraphSdl).toContain(placeholderUrl(name));
  });

  it('fails with the composition errors when two subgraphs disagree', () => {
    const outcome = composeSupergraph(
      servicesDir({ ...all, billing: `${link}\ntype Query { tenantName: Int! }` }),
      false,
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors.join('\n')).toMatch(/tenantName/);
  });

  it('leaves out a missing subgraph, or fails on it when strict', () => {
    const { billing: _billing, ...three } = all;
    const lenient = composeSupergraph(servicesDir(three), false);
    expect(lenient.ok).toBe(true);
    expect(lenient.missing).toEqual(['billing']);
    const strict = composeSupergraph(servicesDir(three), true);
    expect(strict.ok).toBe(false);
    if (!strict.ok) expect(strict.errors.join('\n')).toMatch(/billing/);
  });
});
