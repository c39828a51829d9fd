import type { Interaction } from './interaction';

export interface InteractionUpdate {
  notes?: string | null;
  outcome?: string | null;
  followUpOn?: string | null;
  followUpAssigneeId?: string | null;
  followUpAssigneeName?: string | null;
  followUpDone?: boolean | null;
}

export type EditableField =
  | 'notes'
  | 'outcome'
  | 'followUpOn'
  | 'followUpAssigneeId'
  | 'followUpAssigneeName'
  | 'followUpDone';

export interface FieldChange {
  field: EditableField;
  oldValue: string | null;
  newValue: string | null;
}

/** Fields that write content about the call: refused on NUISANCE calls (docs/product-rules.md#call-classes). */
export const noteFields: readonly EditableField[] = [
  'notes',
  'outcome',
  'followUpOn',
  'followUpAssigneeId',
  'followUpAssigneeName',
];

const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

/**
 * The fields an update really changes, for the edit history (who changed what, when). Fields
 * not present in the update are left alone; a present null clears the field.
 */
export function changesOf(current: Interaction, update: InteractionUpdate): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of Object.keys(update) as EditableField[]) {
    const next = update[field];
    if (next === undefined) continue;
    const normalized =
      field === 'followUpDone' ? Boolean(next) : typeof next === 'string' && next.trim() === '' ? null : next;
    if (text(current[field]) !== text(normalized)) {
      changes.push({ field, oldValue: text(current[field]), newValue: text(normalized) });
    }
  }
  return changes;
}

/** The interaction with the changes applied. */
export function applyChanges(current: Interaction, changes: readonly FieldChange[]): Interaction {
  const next: Interaction = { ...current };
  for (const c of changes) {
    if (c.field === 'followUpDone') next.followUpDone = c.newValue === 'true';
    else next[c.field] = c.newValue;
  }
  return next;
}
