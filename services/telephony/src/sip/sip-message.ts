/**
 * A small SIP (RFC 3261) message reader and writer: enough for a listening extension
 * (REGISTER, INVITE, CANCEL, ACK and their responses). Written here because the npm SIP
 * libraries are unmaintained (`sip` 0.0.6) or built for WebRTC in browsers (`sip.js`).
 */
export interface SipRequest {
  kind: 'request';
  method: string;
  uri: string;
  headers: SipHeaders;
  body: string;
}

export interface SipResponse {
  kind: 'response';
  status: number;
  reason: string;
  headers: SipHeaders;
  body: string;
}

export type SipMessage = SipRequest | SipResponse;

/** Header values by lower-case full name, in order; repeated and comma-joined Via values are kept apart. */
export type SipHeaders = Map<string, string[]>;

const compactNames: Record<string, string> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
};

// Only these may hold several comma-separated values on one line that we need one by one.
const listHeaders = new Set(['via']);

export class SipParseError extends Error {}

export function parseSipMessage(data: Buffer | string): SipMessage {
  const text = typeof data === 'string' ? data : data.toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  const head = split === -1 ? text : text.slice(0, split);
  const rest = split === -1 ? '' : text.slice(split + 4);
  // Header lines may be folded onto continuation lines that start with white space.
  const lines = head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
  const start = lines.shift()?.trim() ?? '';
  const headers: SipHeaders = new Map();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SipParseError(`malformed header line: ${line.slice(0, 40)}`);
    const raw = line.slice(0, colon).trim().toLowerCase();
    const name = compactNames[raw] ?? raw;
    const value = line.slice(colon + 1).trim();
    const values = listHeaders.has(name) ? splitList(value) : [value];
    headers.set(name, [...(headers.get(name) ?? []), ...values]);
  }
  const length = Number(headers.get('content-length')?.[0] ?? Buffer.byteLength(rest));
  const body = Buffer.from(rest)
    .subarray(0, Number.isFinite(length) ? length : 0)
    .toString('utf8');

  const response = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(start);
  if (response) return { kind: 'response', status: Number(response[1]), reason: response[2] ?? '', headers, body };
  const request = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(start);
  if (request) return { kind: 'request', method: request[1] as string, uri: request[2] as string, headers, body };
  throw new SipParseError(`not a SIP start line: ${start.slice(0, 60)}`);
}

function splitList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === '<') depth++;
    if (!quoted && ch === '>') depth--;
    if (ch === ',' && !quoted && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

export const header = (message: SipMessage, name: string): string | undefined =>
  message.headers.get(name.toLowerCase())?.[0];

const canonical = (name: string) =>
  name === 'call-id'
    ? 'Call-ID'
    : name === 'cseq'
      ? 'CSeq'
      : name === 'www-authenticate'
        ? 'WWW-Authenticate'
        : name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());

function writeHeaders(headers: [string, string][], body: string): string {
  const lines = headers
    .filter(([name]) => name.toLowerCase() !== 'content-length')
    .map(([name, value]) => `${canonical(name.toLowerCase())}: ${value}`);
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

export function writeRequest(method: string, uri: string, headers: [string, string][], body = ''): string {
  return `${method} ${uri} SIP/2.0\r\n${writeHeaders(headers, body)}`;
}

/** A response to a request: Via, From, Call-ID and CSeq copied, To given a tag when we create the dialog. */
export function writeResponse(
  request: SipRequest,
  status: number,
  reason: string,
  options: { toTag?: string; extra?: [string, string][] } = {},
): string {
  const copied: [string, string][] = [];
  for (const via of request.headers.get('via') ?? []) copied.push(['via', via]);
  const to = header(request, 'to') ?? '';
  copied.push(['from', header(request, 'from') ?? '']);
  copied.push(['to', options.toTag && !/;\s*tag=/i.test(to) ? `${to};tag=${options.toTag}` : to]);
  copied.push(['call-id', header(request, 'call-id') ?? '']);
  copied.push(['cseq', header(request, 'cseq') ?? '']);
  return `SIP/2.0 ${status} ${reason}\r\n${writeHeaders([...copied, ...(options.extra ?? [])], '')}`;
}

/** The URI inside a name-addr (`"Name" <sip:user@host>;tag=x`) or a bare addr-spec. */
export function uriOf(nameAddr: string): string {
  const angle = /<([^>]*)>/.exec(nameAddr);
  return (angle ? (angle[1] as string) : (nameAddr.split(';')[0] as string)).trim();
}

/** The user part of a sip:, sips: or tel: URI, unescaped: `sip:0312345678@pbx` gives 0312345678. */
export function userOf(uri: string): string | null {
  const match = /^(?:sips?:([^@;?]*)@|tel:([^;?]*))/i.exec(uri);
  const user = match?.[1] ?? match?.[2];
  if (user === undefined) return null;
  try {
    return decodeURIComponent(user);
  } catch {
    return user;
  }
}

/** A header parameter such as `expires=3600` or `tag=abc`. */
export function paramOf(value: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}=("?)([^;,"]*)\\1`, 'i').exec(value);
  return match?.[2];
}
