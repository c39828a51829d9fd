import { operation } from '../graphql/operation';
import type {
  SaveNotesMutation,
  SaveNotesMutationVariables,
  TakeCallMutation,
  TakeCallMutationVariables,
} from '../graphql/types';

/** "I'm taking this": the operator becomes a handler of the call's interaction. */
export const TakeCall = operation<TakeCallMutation, TakeCallMutationVariables>(/* GraphQL */ `
  mutation TakeCall($callId: ID!) {
    startInteraction(callId: $callId) {
      id
      handledBy {
        userId
        name
        since
      }
    }
  }
`);

export const SaveNotes = operation<SaveNotesMutation, SaveNotesMutationVariables>(/* GraphQL */ `
  mutation SaveNotes($id: ID!, $notes: String) {
    updateInteraction(id: $id, input: { notes: $notes }) {
      id
    }
  }
`);
