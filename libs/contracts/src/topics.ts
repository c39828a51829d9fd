import type { z } from 'zod';
import { billingTopics } from './billing';
import { customersTopics } from './customers';
import { licensingTopics } from './licensing';
import { telephonyTopics } from './telephony';

/** One schema per topic: producers and consumers validate against the same one. */
export const topics = {
  ...telephonyTopics,
  ...customersTopics,
  ...licensingTopics,
  ...billingTopics,
} as const satisfies Record<string, z.ZodType>;

export type TopicName = keyof typeof topics;
export type TopicMessage<T extends TopicName> = z.infer<(typeof topics)[T]>;

export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;
