/** The contract fields the rules of this file read (ContractEntity has them). */
export interface ContractTerms {
  planVersionId: string;
  serviceStartDate: string;
  endMonth: string | null;
  createdAt: Date;
}

/** A contract moved to another version of its plan from the first day of a month. */
export interface PlanChange {
  planVersionId: string;
  /** YYYY-MM-01 */
  effectiveFrom: string;
}

/** The plan version in force on a local date: the latest change effective by then, else the signed one. */
export function planVersionOn(
  contract: Pick<ContractTerms, 'planVersionId'>,
  changes: readonly PlanChange[],
  date: string,
): string {
  let best: PlanChange | null = null;
  for (const c of changes) {
    if (c.effectiveFrom <= date && (!best || c.effectiveFrom > best.effectiveFrom)) best = c;
  }
  return best?.planVersionId ?? contract.planVersionId;
}

/**
 * The contract in force on a local date among a tenant's contracts: started on or before it and
 * not ended before its month; the latest start wins.
 */
export function coveringContract<C extends Pick<ContractTerms, 'serviceStartDate' | 'endMonth' | 'createdAt'>>(
  contracts: readonly C[],
  localDate: string,
): C | null {
  const month = localDate.slice(0, 7);
  let best: C | null = null;
  for (const c of contracts) {
    if (c.serviceStartDate > localDate || (c.endMonth !== null && c.endMonth < month)) continue;
    if (
      !best ||
      c.serviceStartDate > best.serviceStartDate ||
      (c.serviceStartDate === best.serviceStartDate && c.createdAt > best.createdAt)
    ) {
      best = c;
    }
  }
  return best;
}

/** The tenant's contract that ended last before `month` (for the settlement of its late usage). */
export function lastEnded<C extends Pick<ContractTerms, 'endMonth'>>(contracts: readonly C[], month: string): C | null {
  let best: C | null = null;
  for (const c of contracts) {
    if (c.endMonth === null || c.endMonth >= month) continue;
    if (!best || (best.endMonth as string) < c.endMonth) best = c;
  }
  return best;
}
