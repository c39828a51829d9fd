import { type GraphQLSchema, parse } from 'graphql/index.js';

/** Every root operation of the schema, as `Query.me`, `Mutation.login`, `Subscription.popups`. */
export function operationsOf(schema: GraphQLSchema): string[] {
  return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
    type ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : [],
  );
}

/** The Subscription fields the gateway serves itself, without building the live server. */
export function subscriptionOperations(subscriptionSdl: string): string[] {
  return parse(subscriptionSdl).definitions.flatMap((d) =>
    d.kind === 'ObjectTypeDefinition' && d.name.value === 'Subscription'
      ? (d.fields ?? []).map((f) => `Subscription.${f.name.value}`)
      : [],
  );
}
