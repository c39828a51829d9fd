import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  getArgumentValues,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql/index.js';
import { REDACTED, redact } from '../observability/redact';

/**
 * What the audit log keeps of one change (docs/decisions/0011-audit-log.md), and the pure rules
 * that build it from a GraphQL mutation or a REST call: which calls are recorded, whose tenant an
 * entry belongs to, the target ids, the outcome, and the arguments with secrets and personal data
 * taken out. No Nest, TypeORM or database here.
 */
export interface AuditActor {
  userId: string;
  tenantId: string;
  name?: string;
  roles: readonly string[];
}

export interface AuditEntry {
  at: Date;
  /** The tenant whose data the operation reached; null when nobody's (an anonymous call). */
  tenantId: string | null;
  actor: AuditActor | null;
  /** `Mutation.createWebhookKey`, or `POST /v1/customers/import` for REST. */
  operation: string;
  targets: string[];
  /** `ok`, or the error code the caller got. */
  outcome: string;
  arguments: unknown;
  traceId?: string;
}

/** Outcome of a call that changed what it was asked to. */
export const AUDIT_OK = 'ok';

/**
 * GraphQL mutations that are not recorded: signing in and out and refreshing a token change no
 * data anyone administers (they are sessions, throttled and logged by licensing), and they would
 * outnumber every real change.
 */
export const unauditedMutations: ReadonlySet<string> = new Set([
  'Mutation.login',
  'Mutation.refresh',
  'Mutation.logout',
]);

/**
 * REST calls that are not recorded (every GET/HEAD/OPTIONS is a read and is never recorded):
 * - `/graphql`: its mutations are recorded one per root field by the GraphQL plugin instead;
 * - `/v1/calls/events`, `/v1/twilio/…`: PBX and Twilio webhooks, i.e. call events (their effect is
 *   the call record itself, and they come by the thousand);
 * - `/v1/leases…`, `/v1/desktop-leases…`: connection leases taken, renewed (heartbeats) and
 *   released by the gateway on every connection (published as licensing.sessions.v1).
 * Everything else that is not a read is recorded (today: the customers CSV upload and the outbox
 * replay), so a new REST route is audited unless it is added here.
 */
export const unauditedRestPaths: readonly RegExp[] = [
  /^\/graphql(?:\/|$)/,
  /^\/v1\/calls\/events(?:\/|$)/,
  /^\/v1\/twilio(?:\/|$)/,
  /^\/v1\/leases(?:\/|$)/,
  /^\/v1\/desktop-leases(?:\/|$)/,
];

const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a REST call is recorded: see unauditedRestPaths. */
export function isAuditedRest(method: string | undefined, path: string): boolean {
  if (!method || readMethods.has(method.toUpperCase())) return false;
  return !unauditedRestPaths.some((pattern) => pattern.test(path));
}

/**
 * Personal data the log lines keep (redact.ts masks phone numbers and secrets) but an audit entry
 * does not: names, addresses, mail addresses, free-text notes and custom-field values.
 */
const personalAuditKey =
  /^(name|kana|nameKana|fullName|displayName|userName|email|emails|mail|address|company|department|addresses|prefecture|city|town|street|building|postalCode|zip|zipCode|notes?|memo|comments?|birthday|birthDate|fields|customFields|values?)$/i;
/** Longer strings (a CSV upload in base64, a long note) are kept as their length only. */
export const MAX_AUDIT_STRING = 200;
/** The stored arguments' size cap (JSON characters); a larger value keeps only its keys. */
export const MAX_AUDIT_ARGUMENTS = 8_000;
const MAX_TARGETS = 20;

/** The arguments as stored: secrets, phone numbers and personal data replaced, long text shortened. */
export function redactAuditArguments(args: unknown): unknown {
  const value = shorten(redact(hidePersonal(args, 0)), 0);
  const json = JSON.stringify(value) ?? 'null';
  if (json.length <= MAX_AUDIT_ARGUMENTS) return value;
  return {
    truncated: true,
    keys: value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [],
  };
}

function hidePersonal(value: unknown, depth: number): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => hidePersonal(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = personalAuditKey.test(key) && v !== undefined && v !== null ? REDACTED : hidePersonal(v, depth + 1);
  }
  return out;
}

function shorten(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    return value.length > MAX_AUDIT_STRING ? `[${value.length}文字]` : value;
  }
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => shorten(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = shorten(v, depth + 1);
  return out;
}

const idKey = /^(id|ids)$|[a-z](Id|Ids)$/;

/**
 * The ids an operation names or produced: arguments named `id`, `…Id`, `…Ids` (at most two levels
 * down, `input.customerId`) except `tenantId` (the entry's tenant), then the same names in the
 * result and one level inside it (`createWebhookKey { key { keyId } }`).
 */
export function auditTargets(args: unknown, result: unknown): string[] {
  const found: string[] = [];
  collectIds(args, 0, 2, found);
  collectIds(result, 0, 1, found);
  return [...new Set(found)].slice(0, MAX_TARGETS);
}

function collectIds(value: unknown, depth: number, maxDepth: number, out: string[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (key !== 'tenantId' && idKey.test(key)) {
      for (const id of Array.isArray(v) ? v : [v]) {
        if ((typeof id === 'string' && id.length > 0 && id.length <= 100) || typeof id === 'number')
          out.push(String(id));
      }
    } else if (depth < maxDepth && v && typeof v === 'object' && !Array.isArray(v)) {
      collectIds(v, depth + 1, maxDepth, out);
    }
  }
}

/** Provider staff act on the tenant their `tenantId` argument names; everyone else on their own. */
export function auditTenant(actor: AuditActor | null, args: unknown): string | null {
  const named = args && typeof args === 'object' ? (args as { tenantId?: unknown }).tenantId : undefined;
  if (typeof named === 'string' && named.length > 0 && actor && actor.tenantId !== named) {
    const provider = actor.roles.some((r) => r === 'back-office' || r === 'sales' || r === 'platform-admin');
    if (provider) return named;
  }
  return actor?.tenantId ?? null;
}

export interface MutationAuditInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown> | undefined;
  data: Record<string, unknown> | null | undefined;
  errors: readonly GraphQLFormattedError[] | undefined;
  actor: AuditActor | null;
  at: Date;
  traceId?: string;
}

/**
 * One entry per root field of a mutation (a document may hold several), with that field's
 * outcome: the code of the first error whose path starts at it, or of an error that stopped the
 * whole operation (no path). An anonymous caller is recorded only where something changed (a
 * public mutation that succeeded: accepting an invitation, resetting a password); refused
 * anonymous attempts changed nothing and name nobody.
 */
export function mutationAuditEntries(input: MutationAuditInput): AuditEntry[] {
  if (input.operation.operation !== 'mutation') return [];
  const mutationType = input.schema.getMutationType();
  if (!mutationType) return [];
  const fieldDefs = mutationType.getFields();
  const entries: AuditEntry[] = [];
  for (const node of rootFields(input.operation.selectionSet, input.fragments, new Set())) {
    const name = node.name.value;
    const operation = `Mutation.${name}`;
    if (name.startsWith('__') || unauditedMutations.has(operation)) continue;
    const responseKey = node.alias?.value ?? name;
    const outcome = outcomeOf(responseKey, input.errors);
    if (!input.actor && outcome !== AUDIT_OK) continue;
    const def = fieldDefs[name];
    let args: Record<string, unknown> = {};
    if (def) {
      try {
        args = getArgumentValues(def, node, input.variables ?? {});
      } catch {
        args = {};
      }
    }
    const result = input.data ? input.data[responseKey] : undefined;
    entries.push({
      at: input.at,
      tenantId: auditTenant(input.actor, args),
      actor: input.actor,
      operation,
      targets: auditTargets(args, result),
      outcome,
      arguments: redactAuditArguments(args),
      traceId: input.traceId,
    });
  }
  return entries;
}

function* rootFields(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  seen: Set<string>,
): Generator<FieldNode> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) yield selection;
    else if (selection.kind === Kind.INLINE_FRAGMENT) yield* rootFields(selection.selectionSet, fragments, seen);
    else if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value;
      const fragment = fragments[name];
      if (!fragment || seen.has(name)) continue;
      seen.add(name);
      yield* rootFields(fragment.selectionSet, fragments, seen);
    }
  }
}

function outcomeOf(responseKey: string, errors: readonly GraphQLFormattedError[] | undefined): string {
  if (!errors?.length) return AUDIT_OK;
  const error = errors.find((e) => e.path?.[0] === responseKey) ?? errors.find((e) => !e.path?.length);
  if (!error) return AUDIT_OK;
  const code = error.extensions?.code;
  return typeof code === 'string' && code.length > 0 ? code : 'INTERNAL';
}

export interface RestAuditInput {
  method: string;
  /** The route pattern when the router matched one (`/v1/outbox/parked/:id/replay`), else the path. */
  route: string;
  params: Record<string, unknown> | undefined;
  query: Record<string, unknown> | undefined;
  status: number;
  /** The code the error filter answered with, when known. */
  errorCode?: string;
  actor: AuditActor | null;
  at: Date;
  traceId?: string;
}

/** A REST call's entry: path parameters are its targets; the query string is its arguments (never the body). */
export function restAuditEntry(input: RestAuditInput): AuditEntry | undefined {
  const ok = input.status < 400;
  if (!input.actor && !ok) return undefined;
  const params = input.params ?? {};
  const targets = Object.values(params)
    .filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 100)
    .slice(0, MAX_TARGETS);
  return {
    at: input.at,
    tenantId: auditTenant(input.actor, input.query),
    actor: input.actor,
    operation: `${input.method.toUpperCase()} ${input.route}`,
    targets,
    outcome: ok ? AUDIT_OK : (input.errorCode ?? `HTTP_${input.status}`),
    arguments: redactAuditArguments({ ...(input.query ?? {}) }),
    traceId: input.traceId,
  };
}
