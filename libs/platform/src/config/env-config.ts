import { z } from 'zod';

/**
 * One zod schema per app for its environment (docs/conventions.md, "Configuration"): each app
 * declares every variable it reads once, with its default and a line of documentation, and
 * `loadConfig` validates them all at start. A typo stops the process with a message naming the
 * variable instead of becoming NaN somewhere later; the README's table is `configTable(shape)`.
 */

/** An unset or blank variable takes the default (a blank line in an env file is not a value). */
const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

interface EnvMeta {
  description: string;
  /** The default as written in the README table; '—' when the variable is required or has none. */
  default: string;
  [key: string]: unknown;
}

function documented<S extends z.ZodType>(schema: S, description: string, fallback: unknown): S {
  const shown = fallback === undefined ? '—' : Array.isArray(fallback) ? fallback.join(',') : String(fallback);
  return schema.meta({ description, default: shown } satisfies EnvMeta) as S;
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

export const env = {
  /** A whole number in [min, max]. */
  int(fallback: number, description: string, range: { min?: number; max?: number } = {}) {
    const inner = z.coerce
      .number()
      .int()
      .min(range.min ?? 0)
      .max(range.max ?? Number.MAX_SAFE_INTEGER);
    return documented(z.preprocess(blankToUndefined, inner.default(fallback)), description, fallback);
  },
  /** A number (fractions allowed) in [min, max]. */
  number(fallback: number, description: string, range: { min?: number; max?: number } = {}) {
    const inner = z.coerce
      .number()
      .min(range.min ?? 0)
      .max(range.max ?? Number.MAX_VALUE);
    return documented(z.preprocess(blankToUndefined, inner.default(fallback)), description, fallback);
  },
  /** A port number. */
  port(fallback: number, description: string) {
    return env.int(fallback, description, { min: 0, max: 65_535 });
  },
  /** A string with a default. */
  string(fallback: string, description: string) {
    return documented(z.preprocess(blankToUndefined, z.string().default(fallback)), description, fallback);
  },
  /** A string that may be unset (the app decides what unset means). */
  optionalString(description: string) {
    return documented(z.preprocess(blankToUndefined, z.string().optional()), description, undefined);
  },
  /** A string that must be set. */
  requiredString(description: string) {
    return documented(z.preprocess(blankToUndefined, z.string({ error: 'is required' })), description, undefined);
  },
  /** An http(s) URL. */
  url(fallback: string, description: string) {
    return documented(
      z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/ }).default(fallback)),
      description,
      fallback,
    );
  },
  /** true/false, also 1/0, yes/no, on/off. */
  boolean(fallback: boolean, description: string) {
    const inner = z
      .string()
      .transform((raw, ctx) => {
        const v = raw.trim().toLowerCase();
        if (TRUE.has(v)) return true;
        if (FALSE.has(v)) return false;
        ctx.addIssue({ code: 'custom', message: 'must be true or false (also 1/0, yes/no, on/off)' });
        return z.NEVER;
      })
      .default(fallback);
    return documented(z.preprocess(blankToUndefined, inner), description, fallback);
  },
  /** One of a fixed list. */
  oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number], description: string) {
    return documented(z.preprocess(blankToUndefined, z.enum(values).default(fallback as never)), description, fallback);
  },
  /** A comma-separated list (blank items dropped). */
  list(fallback: string[], description: string) {
    const inner = z
      .string()
      .transform((raw) =>
        raw
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
      )
      .default(fallback);
    return documented(z.preprocess(blankToUndefined, inner), description, fallback);
  },
};

export class ConfigError extends Error {
  constructor(
    readonly app: string,
    readonly problems: string[],
  ) {
    super(`${app}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Validates the app's variables; every problem is named in one error (variable, rule, value given). */
export function loadConfig<T extends z.ZodRawShape>(
  app: string,
  shape: T,
  source: Env = process.env,
): z.output<z.ZodObject<T>> {
  const result = z.object(shape).safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '?');
    const raw = source[name];
    return `${name}: ${issue.message}${raw === undefined ? '' : ` (got "${raw}")`}`;
  });
  throw new ConfigError(app, problems);
}

/** The README table of an app's variables: name, default, what it does. */
export function configTable(shape: z.ZodRawShape): string {
  const rows = Object.entries(shape).map(([name, schema]) => {
    const meta = (schema as z.ZodType).meta() as Partial<EnvMeta> | undefined;
    const cell = (s: string) => s.replaceAll('|', '\\|');
    return `| \`${name}\` | ${meta?.default === '—' ? '—' : `\`${cell(meta?.default ?? '')}\``} | ${cell(meta?.description ?? '')} |`;
  });
  return ['| Variable | Default | What it sets |', '|---|---|---|', ...rows].join('\n');
}
