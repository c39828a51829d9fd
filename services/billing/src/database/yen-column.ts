import type { ValueTransformer } from 'typeorm';

/** Postgres bigint arrives as a string; money is a safe integer in TypeScript. */
export const yenColumn: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => {
    if (value == null) return null;
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new RangeError(`${value} yen is not a safe integer`);
    return n;
  },
};
