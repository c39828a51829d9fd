/**
 * Log lines never carry secrets: values under keys that name one are replaced, at any depth,
 * and bearer tokens or webhook signatures inside free text are masked.
 */
const secretKey = /pass(word)?|secret|token|authorization|signature|cookie|api[-_]?key|private[-_]?key|credential/i;
const secretText = [
  /Bearer\s+[A-Za-z0-9._~+/=-]+/g,
  /\bv1=[0-9a-f]{16,}/gi,
  /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  /(postgres(?:ql)?:\/\/[^:/\s]+:)[^@\s]+@/gi,
];
export const REDACTED = '[redacted]';

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = secretKey.test(key) && v !== undefined && v !== null ? REDACTED : redact(v, depth + 1);
  }
  return out;
}

export function redactText(text: string): string {
  let out = text;
  for (const pattern of secretText) {
    out = out.replace(pattern, (match, prefix?: string) =>
      typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}${REDACTED}@` : REDACTED,
    );
  }
  return out;
}
