/**
 * Log lines never carry secrets: values under keys that name one are replaced, at any depth,
 * and bearer tokens or webhook signatures inside free text are masked. Phone numbers are personal
 * data (docs/security.md): values under keys that name one, and numbers written in free text
 * (E.164 `+81…`, Japanese `090-1234-5678` / `0312345678`), are masked the same way.
 */
const secretKey = /pass(word)?|secret|token|authorization|signature|cookie|api[-_]?key|private[-_]?key|credential/i;
const personalKey = /phone|msisdn|e164|caller(number|id)?$|callee/i;
const secretText = [
  /Bearer\s+[A-Za-z0-9._~+/=-]+/g,
  /\bv1=[0-9a-f]{16,}/gi,
  /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  /(postgres(?:ql)?:\/\/[^:/\s]+:)[^@\s]+@/gi,
];
// Not inside a longer word, id or number (trace ids, UUIDs, offsets and timestamps stay).
const phoneText = [
  /(?<![\w+.-])\+\d{1,3}[\s-]?\d{1,4}(?:[\s-]?\d{2,4}){2,3}(?![\w.-])/g,
  /(?<![\w.-])0\d{1,4}-\d{1,4}-\d{3,4}(?![\w.-])/g,
  /(?<![\w.-])0\d{9,10}(?![\w.-])/g,
];
export const REDACTED = '[redacted]';

export function redact(value: unknown, depth = 0): unknown {
  return redactValue(value, depth, false);
}

/**
 * The same rules for a log line, which keeps an error's stack (its text masked too): the stack is
 * what an operator needs to find the failing line.
 */
export function redactForLog(value: unknown, depth = 0): unknown {
  return redactValue(value, depth, true);
}

function redactValue(value: unknown, depth: number, keepStack: boolean): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: redactText(value.message) };
    if (keepStack && value.stack) out.stack = redactText(value.stack);
    const code = (value as { code?: unknown }).code;
    if (keepStack && (typeof code === 'string' || typeof code === 'number')) out.code = code;
    if (keepStack && value.cause !== undefined) out.cause = redactValue(value.cause, depth + 1, keepStack);
    return keepStack ? out : { name: value.name, message: out.message };
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, keepStack));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const hidden = (secretKey.test(key) || personalKey.test(key)) && v !== undefined && v !== null;
    out[key] = hidden ? REDACTED : redactValue(v, depth + 1, keepStack);
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
  for (const pattern of phoneText) out = out.replace(pattern, REDACTED);
  return out;
}
