import { Transform } from 'node:stream';

/**
 * Which encoding the bytes of a CSV upload look like, judged on the first non-ASCII bytes.
 *
 * Up to the first byte >= 0x80 a file reads the same in UTF-8 and in Shift_JIS (Windows-31J), so
 * nothing before it can be mojibake. From there on, real Japanese Shift_JIS is almost never valid
 * UTF-8 (its lead bytes 0x81–0x9F are UTF-8 continuation bytes, its kana and kanji pairs break the
 * UTF-8 sequence rules within a few characters), while a UTF-8 file always is. So: once a sample
 * after the first non-ASCII byte decodes as strict UTF-8 and holds a character of U+0800 or above
 * (a 3-byte sequence: every kana, kanji and full-width form is one), the file is UTF-8.
 *
 * Two-byte sequences alone do not count: a half-width katakana followed by a kanji in Shift_JIS
 * (`ﾃ山` = C3 8E 52) is valid UTF-8 (`ÎR`). The cost is that a UTF-8 file whose only non-ASCII
 * text is Latin accents (é = C3 A9) is not caught; Japanese text always is.
 */
export type EncodingEvidence = 'ASCII' | 'UTF8' | 'NOT_UTF8';

/** Bytes after the first non-ASCII byte judged at once (more than enough: a few characters decide). */
export const SNIFF_BYTES = 4_096;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Evidence from `bytes` (a prefix of the file; `complete` when it is the whole file). A multi-byte
 * sequence cut by the end of a prefix is not held against UTF-8.
 */
export function encodingEvidence(bytes: Uint8Array, complete: boolean): EncodingEvidence {
  const first = bytes.findIndex((b) => b >= 0x80);
  if (first < 0) return 'ASCII';
  let end = bytes.length;
  if (!complete) end -= incompleteTail(bytes);
  if (end <= first) return 'ASCII';
  let text: string;
  try {
    text = strictUtf8.decode(bytes.subarray(first, end));
  } catch {
    return 'NOT_UTF8';
  }
  return /[\u0800-\uffff]/.test(text) ? 'UTF8' : 'NOT_UTF8';
}

/** How many bytes at the end start a UTF-8 sequence that the prefix cut short (0 to 3). */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back] as number;
    if (b < 0x80) return 0;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return length > back ? back : 0;
    }
  }
  return 0;
}

/**
 * A byte stream stage for uploads declared Shift_JIS: it passes ASCII through, holds the bytes
 * from the first non-ASCII one until SNIFF_BYTES more (or the end) have come, and fails with
 * `refuse()` when they are UTF-8. Nothing non-ASCII reaches the parser before the verdict, so no
 * row with mojibake is ever counted or written.
 */
export function refuseUtf8(refuse: () => Error): Transform {
  let decided = false;
  let held: Buffer[] = [];
  const decide = (bytes: Buffer, complete: boolean): Error | Buffer => {
    decided = true;
    held = [];
    return encodingEvidence(bytes, complete) === 'UTF8' ? refuse() : bytes;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (decided || (held.length === 0 && !chunk.some((b) => b >= 0x80))) return done(null, chunk);
      held.push(chunk);
      const bytes = Buffer.concat(held);
      if (bytes.length - bytes.findIndex((b) => b >= 0x80) < SNIFF_BYTES) return done();
      const verdict = decide(bytes, false);
      return verdict instanceof Error ? done(verdict) : done(null, verdict);
    },
    flush(done) {
      if (decided || held.length === 0) return done();
      const verdict = decide(Buffer.concat(held), true);
      return verdict instanceof Error ? done(verdict) : done(null, verdict);
    },
  });
}
