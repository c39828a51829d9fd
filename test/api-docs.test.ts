import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser } from '@asyncapi/parser';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { Validator } from '@seriousme/openapi-schema-validator';
import { errorCatalogue, liveCloseCodes, topics } from '@thankstar/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  asyncApiPath,
  buildApiDocs,
  examples,
  notedTopics,
  openApiPath,
  outboundEventTypes,
  outboundTestEventType,
  twilioCallStatuses,
} from '../scripts/api-docs-lib.mjs';
import { parseDesktopLeaseRequest } from '../services/licensing/src/leases/desktop-leases.service';
import { parseLeaseRequest } from '../services/licensing/src/leases/lease-request';
import { callEventOfTwilio } from '../services/telephony/src/twilio/twilio-call';
import { parseCallEventBody } from '../services/telephony/src/webhook/call-event-body';

const root = fileURLToPath(new URL('..', import.meta.url));
/** From source: `services/...` as the .ts file, packages through vitest's aliases (libs from source too). */
const loadFromSource = (spec: string) =>
  spec.startsWith('services/') ? import(join(root, `${spec}.ts`)) : import(spec);

type OpenApi = { paths: Record<string, Record<string, unknown>> };
let built: Record<string, string>;
let openapi: OpenApi;

beforeAll(async () => {
  built = await buildApiDocs(loadFromSource);
  openapi = parse(await readFile(join(root, openApiPath), 'utf8'));
});

describe('docs/api (npm run docs:api)', () => {
  it('is what the zod schemas give today (run `npm run docs:api` after changing a schema, a topic or an endpoint)', async () => {
    for (const path of [openApiPath, asyncApiPath]) {
      const committed = await readFile(join(root, path), 'utf8');
      expect(committed, path).toBe(built[path]);
    }
  });

  it('openapi.yaml is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(parse(built[openApiPath] ?? ''));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('asyncapi.yaml is a valid AsyncAPI 3 document with a channel per Kafka topic and the outbound webhooks', async () => {
    const { document, diagnostics } = await new Parser().parse(built[asyncApiPath] ?? '');
    // Severity 0 is an error, 1 a warning; the only other note is "3.1.0 exists" (a hint).
    expect(
      diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`),
    ).toEqual([]);
    expect(document?.version()).toMatch(/^3\./);
    const addresses = document
      ?.channels()
      .all()
      .map((c) => c.address());
    expect(addresses).toEqual(expect.arrayContaining([...Object.keys(topics), '{endpointUrl}']));
  });

  it('describes every topic in libs/contracts (scripts/api-docs-lib.mjs topicNotes: producer, consumers, key)', () => {
    expect(Object.keys(topics).filter((topic) => !notedTopics.includes(topic))).toEqual([]);
  });

  it('lists the outbound webhook event types customers sends (services/customers/src/webhooks/webhook-events.ts)', async () => {
    const file = join(root, 'services/customers/src/webhooks/webhook-events.ts');
    // Issue 19 item 1 lands this module; until then the list is the issue's.
    if (!existsSync(file)) return expect(outboundEventTypes).toHaveLength(10);
    const events: { webhookEventTypes: readonly string[]; TEST_EVENT_TYPE: string } = await import(file);
    expect(outboundEventTypes).toEqual([...events.webhookEventTypes]);
    expect(outboundTestEventType).toBe(events.TEST_EVENT_TYPE);
  });

  it('has every route of every Nest controller (read from the decorators’ metadata) and the gateway’s own', async () => {
    const files = await controllerFiles();
    expect(files.length).toBeGreaterThanOrEqual(9);
    const routes: string[] = [];
    for (const file of files) {
      const mod: Record<string, unknown> = await import(file);
      for (const value of Object.values(mod)) {
        if (typeof value !== 'function') continue;
        const base: unknown = Reflect.getMetadata(PATH_METADATA, value);
        if (typeof base !== 'string') continue;
        const proto = value.prototype as Record<string, unknown>;
        for (const name of Object.getOwnPropertyNames(proto)) {
          const handler = proto[name];
          if (typeof handler !== 'function' || name === 'constructor') continue;
          const method: unknown = Reflect.getMetadata(METHOD_METADATA, handler);
          if (typeof method !== 'number') continue;
          const sub: unknown = Reflect.getMetadata(PATH_METADATA, handler);
          routes.push(
            `${RequestMethod[method]?.toLowerCase()} ${openApiPathOf(base, typeof sub === 'string' ? sub : '')}`,
          );
        }
      }
    }
    // The gateway's HTTP server is node:http, not Nest: its routes are the `path === '/...'` branches.
    const server = await readFile(join(root, 'gateway/src/server.ts'), 'utf8');
    const gatewayPaths = [...server.matchAll(/path === '([^']+)'/g)].map((m) => m[1] ?? '');
    expect(gatewayPaths).toContain('/graphql');
    for (const path of gatewayPaths) routes.push(`get-or-post ${path}`);

    expect(routes).toContain('post /v1/calls/events');
    const missing = routes.filter((route) => {
      const [method = '', path = ''] = route.split(' ');
      const item = openapi.paths[path];
      if (!item) return true;
      return method === 'get-or-post' ? !(item.get || item.post) : !item[method];
    });
    expect(missing).toEqual([]);
  });

  it('its request examples are accepted by the services’ own parsers', () => {
    const callEvent = parseCallEventBody(examples.callEvent, new Date(examples.callEvent.occurredAt));
    expect(callEvent.ok).toBe(true);
    expect(parseLeaseRequest(examples.leaseRequest).ok).toBe(true);
    expect(parseDesktopLeaseRequest(examples.desktopLeaseRequest).ok).toBe(true);
    for (const status of twilioCallStatuses) {
      expect(callEventOfTwilio({ ...examples.twilioParams, CallStatus: status }, new Date()).ok, status).toBe(true);
    }
    expect(callEventOfTwilio({ ...examples.twilioParams, CallStatus: 'on-hold' }, new Date()).ok).toBe(false);
  });
});

describe('docs/integrations.md', () => {
  it('gives every error code in its tables the status the catalogue answers with', async () => {
    const text = await readFile(join(root, 'docs/integrations.md'), 'utf8');
    const catalogue: Record<string, { status: number; code?: string }> = errorCatalogue;
    const rows = [...text.matchAll(/^\| (\d{3}) \| `([A-Z_]+)` \|/gm)].map((m) => ({
      status: Number(m[1]),
      code: m[2] ?? '',
    }));
    expect(rows.length).toBeGreaterThanOrEqual(20);
    const wrong = rows
      .filter(({ status, code }) => catalogue[code]?.status !== status)
      .map((r) => `${r.status} ${r.code}`);
    expect(wrong).toEqual([]);
  });

  it('names the live close codes as libs/contracts does', async () => {
    const text = await readFile(join(root, 'docs/integrations.md'), 'utf8');
    const rows = [...text.matchAll(/^\| (\d{4}(?:, \d{4})*) \| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \|/gm)];
    const named = rows.flatMap((m) => {
      const codes = (m[1] ?? '').split(', ').map(Number);
      const names = (m[2] ?? '').split(', ').map((n) => n.replaceAll('`', ''));
      return names.map((name, i) => [name, codes[i]] as const);
    });
    expect(Object.fromEntries(named)).toEqual(liveCloseCodes);
  });
});

/** Nest's `users/:id` as OpenAPI's `/users/{id}`. */
function openApiPathOf(base: string, sub: string): string {
  const joined = `/${[base, sub]
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
  return joined.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** Every non-test source file with a `@Controller(` in the services, the gateway and the platform. */
async function controllerFiles(): Promise<string[]> {
  const dirs = [
    ...(await readdir(join(root, 'services'))).map((s) => join(root, 'services', s, 'src')),
    join(root, 'gateway/src'),
    join(root, 'libs/platform/src'),
  ];
  const found: string[] = [];
  for (const dir of dirs) {
    const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
    for (const entry of entries) {
      if (!entry.endsWith('.ts') || entry.endsWith('.test.ts') || entry.endsWith('.d.ts')) continue;
      const file = join(dir, entry);
      if ((await readFile(file, 'utf8')).includes('@Controller(')) found.push(file);
    }
  }
  return found;
}
