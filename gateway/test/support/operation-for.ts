import {
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql/index.js';

/** A literal of the type that passes validation; the value itself does not matter. */
function literalOf(type: GraphQLInputType): string {
  if (isNonNullType(type)) return literalOf(type.ofType);
  if (isListType(type)) return '[]';
  if (isEnumType(type)) return type.getValues()[0]?.name ?? 'null';
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter(
      (f) => isNonNullType(f.type) && f.defaultValue === undefined,
    );
    return `{ ${required.map((f) => `${f.name}: ${literalOf(f.type)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    if (type.name === 'Int' || type.name === 'Float') return '1';
    if (type.name === 'Boolean') return 'true';
    return '"00000000-0000-4000-8000-000000000000"';
  }
  return 'null';
}

/** A valid operation that calls one root field (`Query.customers`) with dummy arguments. */
export function operationFor(schema: GraphQLSchema, operation: string): string {
  const [typeName, fieldName] = operation.split('.') as [string, string];
  const root = schema.getType(typeName);
  if (!isObjectType(root)) throw new Error(`${typeName} is not a root type`);
  const field = root.getFields()[fieldName] as GraphQLField<unknown, unknown>;
  const args = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const argText = args.length ? `(${args.map((a) => `${a.name}: ${literalOf(a.type)}`).join(', ')})` : '';
  const named = getNamedType(field.type);
  const selection = isObjectType(named) || isAbstractType(named) ? ' { __typename }' : '';
  const keyword = typeName === 'Query' ? 'query' : typeName === 'Mutation' ? 'mutation' : 'subscription';
  return `${keyword} { ${fieldName}${argText}${selection} }`;
}
