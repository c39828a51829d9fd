import type { PopupPayload } from '@thankstar/contracts';
import type { Interaction } from '../interactions/interaction';
import { summaryOf } from '../interactions/interaction';

/** A past interaction as a CUSTOMER popup lists it. */
export function toPopupInteraction(
  i: Pick<Interaction, 'id' | 'occurredAt' | 'summary' | 'notes' | 'outcome' | 'operatorName'>,
): PopupPayload['interactions'][number] {
  return {
    id: i.id,
    occurredAt: i.occurredAt,
    summary: summaryOf(i),
    operatorName: i.operatorName,
    outcome: i.outcome,
  };
}

/** An open follow-up as a CUSTOMER popup lists it. */
export function toPopupFollowUp(
  i: Pick<Interaction, 'id' | 'followUpOn' | 'followUpAssigneeId' | 'followUpAssigneeName' | 'notes' | 'summary'>,
): NonNullable<PopupPayload['followUps']>[number] {
  return {
    interactionId: i.id,
    dueOn: i.followUpOn as string,
    assigneeId: i.followUpAssigneeId,
    assigneeName: i.followUpAssigneeName,
    note: i.notes ? summaryOf(i) : null,
  };
}
