import {
  type DocumentNode,
  type GraphQLArgument,
  GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  getArgumentValues,
  getVariableValues,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql/index.js';

/**
 * What every String and ID argument of every subgraph (and of the gateway's API schema) must be,
 * checked in one place before any resolver runs. Postgres cannot store NUL (U+0000) and a lone
 * UTF-16 surrogate becomes U+FFFD on the way in; an `id uuid` column answers a non-UUID with an
 * error; nobody types 100,000 characters into a field. Without this, each such value reached the
 * database and came back as INTERNAL.
 */

/** Longest String argument unless the coordinate below says otherwise (services keep tighter limits of their own). */
export const MAX_STRING_ARGUMENT = 100_000;

/** Input coordinates (`Type.field` of an input object, `Type.field(arg:)` of an argument) with a limit of their own. */
export const stringArgumentLimits: Readonly<Record<string, number>> = {
  // A whole CSV file in base64; the request body limit (256 KB) is what bounds it.
  'CustomerImportInput.contentBase64': 1_000_000,
};

/**
 * ID arguments are UUIDs (every table's id column is `uuid`) except these: the call id customers
 * receives from telephony is the call source's own id (a PBX's or Twilio's, up to 200 characters).
 */
export const idArgumentsNotUuid: ReadonlySet<string> = new Set([
  'Query.popup(callId:)',
  'Mutation.updateCustomer(callId:)',
  'Mutation.startInteraction(callId:)',
]);

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ArgumentProblem {
  /** Where the value is, as the client wrote it: `filter.lineId`, `input.phones[2].number`. */
  argument: string;
  /** Schema coordinate of the argument or input field. */
  coordinate: string;
  message: string;
}

/** The first problem with one coerced String/ID value, or null. */
export function stringProblem(
  value: string,
  kind: 'String' | 'ID',
  argument: string,
  coordinate: string,
): ArgumentProblem | null {
  const problem = (message: string) => ({ argument, coordinate, message });
  if (value.includes('\u0000')) return problem(`引数 ${argument} に使えない文字（NUL, U+0000）が含まれています。`);
  if (LONE_SURROGATE.test(value))
    return problem(`引数 ${argument} に不正な文字（対になっていない UTF-16 サロゲート）が含まれています。`);
  const max = stringArgumentLimits[coordinate] ?? MAX_STRING_ARGUMENT;
  if (value.length > max) return problem(`引数 ${argument} が長すぎます（最大 ${max.toLocaleString('ja-JP')} 文字）。`);
  if (kind === 'ID' && !idArgumentsNotUuid.has(coordinate) && !UUID.test(value))
    return problem(`引数 ${argument} は UUID で指定してください（例: 123e4567-e89b-12d3-a456-426614174000）。`);
  return null;
}

/** Walks one coerced value against its input type; the first problem, or null. */
function valueProblem(
  value: unknown,
  type: GraphQLInputType,
  argument: string,
  coordinate: string,
): ArgumentProblem | null {
  if (value === null || value === undefined) return null;
  if (isNonNullType(type)) return valueProblem(value, type.ofType, argument, coordinate);
  if (isListType(type)) {
    if (!Array.isArray(value)) return valueProblem(value, type.ofType, argument, coordinate);
    for (let i = 0; i < value.length; i++) {
      const p = valueProblem(value[i], type.ofType, `${argument}[${i}]`, coordinate);
      if (p) return p;
    }
    return null;
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    for (const name of Object.keys(fields)) {
      if (!Object.hasOwn(value as object, name)) continue;
      const field = fields[name] as (typeof fields)[string];
      const p = valueProblem(
        (value as Record<string, unknown>)[name],
        field.type,
        `${argument}.${name}`,
        `${type.name}.${name}`,
      );
      if (p) return p;
    }
    return null;
  }
  if (isEnumType(type)) return null;
  if (isScalarType(type) && (type.name === 'String' || type.name === 'ID') && typeof value === 'string')
    return stringProblem(value, type.name, argument, coordinate);
  // Custom scalars (federation's _Any): any string inside must still be storable text.
  if (isScalarType(type) && !['Int', 'Float', 'Boolean'].includes(type.name))
    return deepTextProblem(value, argument, coordinate);
  return null;
}

function deepTextProblem(value: unknown, argument: string, coordinate: string): ArgumentProblem | null {
  if (typeof value === 'string') {
    if (value.includes('\u0000') || LONE_SURROGATE.test(value))
      return stringProblem(value, 'String', argument, coordinate);
    return null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = deepTextProblem(value[i], `${argument}[${i}]`, coordinate);
      if (p) return p;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = deepTextProblem(v, `${argument}.${k}`, coordinate);
      if (p) return p;
    }
  }
  return null;
}

/**
 * Every argument of every field the operation selects (inline literals and variables alike,
 * input-object fields and list items included), checked against the rules above. Values that do
 * not even coerce are left to graphql-js, which refuses them with its own BAD_USER_INPUT.
 */
export function argumentProblems(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Readonly<Record<string, unknown>> | undefined,
): ArgumentProblem | null {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {}, {
    maxErrors: 1,
  });
  if (coerced.errors) return null;
  const variables = coerced.coerced;
  const typeInfo = new TypeInfo(schema);
  let found: ArgumentProblem | null = null;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition: (node) => (node === operation ? undefined : false),
      Field(node) {
        if (found || !node.arguments?.length) return;
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (!field || !parent) return;
        let values: Record<string, unknown>;
        try {
          values = getArgumentValues(field, node, variables);
        } catch {
          return; // graphql-js refuses it during execution
        }
        for (const arg of field.args as readonly GraphQLArgument[]) {
          const p = valueProblem(values[arg.name], arg.type, arg.name, `${parent.name}.${field.name}(${arg.name}:)`);
          if (p) {
            found = p;
            return;
          }
        }
      },
    }),
  );
  return found;
}

/** The refusal: BAD_USER_INPUT, HTTP 400, naming the argument. */
export function argumentError(problem: ArgumentProblem): GraphQLError {
  return new GraphQLError(problem.message, {
    extensions: { code: 'BAD_USER_INPUT', argument: problem.argument, http: { status: 400 } },
  });
}
