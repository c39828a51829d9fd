import type { CallUpdate } from './popupFeed';

interface Handler {
  userId: string;
  name: string | null;
}

export interface CallStatusText {
  /** i18n key under console.callStatus. */
  key: 'answeredByMe' | 'answeredBy' | 'answeredAtExtension' | 'answered' | 'ended' | 'transferred' | 'missed';
  /** The operator's name or extension, for answeredBy / answeredAtExtension. */
  who?: string;
  /** True when the call is with someone other than the signed-in operator. */
  elsewhere: boolean;
}

/**
 * What a popup says about its call once it stops ringing: who answered (by name when that
 * operator is among those handling it, else by extension), or that it ended, moved or was missed.
 */
export function describeCallUpdate(update: CallUpdate, meId: string | undefined, handlers: Handler[]): CallStatusText {
  const mine = !!meId && update.operatorId === meId;
  switch (update.event) {
    case 'ANSWERED': {
      if (mine) return { key: 'answeredByMe', elsewhere: false };
      const name = handlers.find((h) => h.userId === update.operatorId)?.name;
      if (name) return { key: 'answeredBy', who: name, elsewhere: true };
      if (update.extension) return { key: 'answeredAtExtension', who: update.extension, elsewhere: true };
      return { key: 'answered', elsewhere: true };
    }
    case 'TRANSFERRED':
      return { key: 'transferred', elsewhere: !mine };
    case 'MISSED':
      return { key: 'missed', elsewhere: false };
    default:
      return { key: 'ended', elsewhere: false };
  }
}

/**
 * Whether 「対応します」 is offered: not for a call that was missed, nor for one that ended with
 * nobody having taken it (there is no call left to handle; it is in the missed calls to return).
 */
export function canTake(update: CallUpdate | undefined, handlers: readonly Handler[]): boolean {
  if (!update) return true;
  if (update.event === 'MISSED') return false;
  if (update.event === 'ENDED') return handlers.length > 0;
  return true;
}
