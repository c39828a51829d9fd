import { z } from 'zod';

/** A phone number as it arrived, with what we could make of it. Invalid numbers are kept, flagged. */
export const phoneNumberSchema = z.object({
  raw: z.string(),
  e164: z.string().nullable(),
  display: z.string().nullable(),
  valid: z.boolean(),
  /** Set when the caller withheld or could not send a number (P, O, S, C or "anonymous"). */
  withheldReason: z.enum(['WITHHELD', 'UNAVAILABLE', 'PAYPHONE']).nullable(),
});
export type PhoneNumber = z.infer<typeof phoneNumberSchema>;
