/** Billing's topics and their schemas (none published yet). */
export const billingTopics = {} as const;
