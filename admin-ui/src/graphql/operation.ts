// Kept apart from client.ts: operations are declared at module load, the client imports auth.
/** A GraphQL document tied to the generated types of its result and variables. */
export interface Operation<TData, TVariables> {
  readonly document: string;
  /** Phantom: carries the types only. */
  readonly types?: { data: TData; variables: TVariables };
}

export const operation = <TData, TVariables = Record<string, never>>(
  document: string,
): Operation<TData, TVariables> => ({
  document,
});
