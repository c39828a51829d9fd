import { createHash, randomBytes } from 'node:crypto';

const md5 = (value: string) => createHash('md5').update(value).digest('hex');

/** The comma-separated parameters of a `Digest realm="x", nonce="y", qop="auth"` challenge. */
export function challengeParams(challenge: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of challenge.replace(/^\s*Digest\s+/i, '').matchAll(/([\w-]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) {
    params[(match[1] as string).toLowerCase()] = match[2] ?? match[3] ?? '';
  }
  return params;
}

/**
 * The Authorization header answering a registrar's digest challenge (RFC 2617 / RFC 3261 §22,
 * MD5, with qop=auth when offered).
 */
export function digestAuthorization(options: {
  challenge: string;
  method: string;
  uri: string;
  username: string;
  password: string;
  nonceCount?: number;
  cnonce?: string;
}): string {
  const challenge = challengeParams(options.challenge);
  const realm = challenge.realm ?? '';
  const nonce = challenge.nonce ?? '';
  const opaque = challenge.opaque;
  const algorithm = challenge.algorithm;
  if (algorithm && algorithm.toUpperCase() !== 'MD5') throw new Error(`unsupported digest algorithm ${algorithm}`);
  const qop = challenge.qop
    ?.split(',')
    .map((q) => q.trim())
    .includes('auth')
    ? 'auth'
    : undefined;
  const ha1 = md5(`${options.username}:${realm}:${options.password}`);
  const ha2 = md5(`${options.method}:${options.uri}`);
  const nc = (options.nonceCount ?? 1).toString(16).padStart(8, '0');
  const cnonce = options.cnonce ?? randomBytes(8).toString('hex');
  const response = qop ? md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  const parts = [
    `username="${options.username}"`,
    `realm="${realm}"`,
    `nonce="${nonce}"`,
    `uri="${options.uri}"`,
    `response="${response}"`,
    'algorithm=MD5',
    ...(qop ? [`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`] : []),
    ...(opaque !== undefined ? [`opaque="${opaque}"`] : []),
  ];
  return `Digest ${parts.join(', ')}`;
}
