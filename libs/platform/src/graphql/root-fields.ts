import { type DocumentNode, Kind, type SelectionSetNode } from 'graphql/index.js';

/**
 * `Query.x`, `Mutation.y` of every root field the operation selects, through fragments (`__`
 * introspection fields left out). The gateway's authorization and rate limits and the
 * subgraphs' federation gate read an operation's root fields through this one walk.
 */
export function rootFields(document: DocumentNode, rootType: string, selectionSet: SelectionSetNode): string[] {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const out = new Set<string>();
  const visit = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.name.value.startsWith('__')) out.add(`${rootType}.${selection.name.value}`);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, seen);
      } else if (!seen.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet, new Set([...seen, selection.name.value]));
      }
    }
  };
  visit(selectionSet, new Set());
  return [...out];
}

export const rootTypeName = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;
