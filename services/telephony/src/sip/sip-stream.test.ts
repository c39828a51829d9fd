import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSipMessage } from './sip-message';
import { SipStreamError, SipStreamFramer } from './sip-stream';

const message = (callId: string, body: string, lengthHeader = 'Content-Length') =>
  Buffer.from(
    [
      'INVITE sip:201@192.0.2.10:5060;transport=tcp SIP/2.0',
      'Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK776asdhds',
      'From: <sip:09011112222@pbx.example>;tag=1',
      'To: <sip:201@pbx.example>',
      `Call-ID: ${callId}`,
      'CSeq: 1 INVITE',
      `${lengthHeader}: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n'),
  );

/** Cuts bytes at the given offsets (sorted, deduplicated, within the buffer). */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

const feed = (framer: SipStreamFramer, chunks: Buffer[]) => chunks.flatMap((c) => framer.push(c));

// Bodies with multi-byte characters, CRLFs and even a blank line: Content-Length counts bytes.
const body = fc.oneof(
  fc.constant(''),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('v=0\r\n\r\ns=東京店\r\n', '\r\n\r\n', 'SIP/2.0 200 OK\r\nContent-Length: 5\r\n\r\n'),
);

describe('SIP stream framing', () => {
  it('gives back the same messages however the stream is cut into reads', () => {
    fc.assert(
      fc.property(
        fc.array(body, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        (bodies, offsets, keepalives) => {
          const sent = bodies.map((b, i) => message(`call-${i}`, b));
          const stream = Buffer.concat(sent.flatMap((m) => (keepalives ? [Buffer.from('\r\n\r\n'), m] : [m])));
          const framer = new SipStreamFramer();
          const received = feed(framer, cut(stream, offsets));
          expect(received.map((m) => m.toString('hex'))).toEqual(sent.map((m) => m.toString('hex')));
          expect(framer.pending).toBe(0);
          expect(received.map((m) => parseSipMessage(m).body)).toEqual(bodies);
        },
      ),
    );
  });

  it('holds a partial read until the rest arrives, byte by byte', () => {
    const whole = message('one', 'v=0\r\ns=東京店\r\n');
    const framer = new SipStreamFramer();
    for (let i = 0; i < whole.length - 1; i++) expect(framer.push(whole.subarray(i, i + 1))).toEqual([]);
    expect(framer.pending).toBe(whole.length - 1);
    const [done] = framer.push(whole.subarray(whole.length - 1));
    expect(done?.equals(whole)).toBe(true);
  });

  it('returns two messages that arrive in one read, and keeps the start of a third', () => {
    const a = message('a', 'first');
    const b = message('b', '');
    const c = message('c', 'third body');
    const framer = new SipStreamFramer();
    const got = framer.push(Buffer.concat([a, b, c.subarray(0, 20)]));
    expect(got.map((m) => parseSipMessage(m).headers.get('call-id')?.[0])).toEqual(['a', 'b']);
    expect(framer.pending).toBe(20);
    expect(framer.push(c.subarray(20)).map((m) => parseSipMessage(m).body)).toEqual(['third body']);
  });

  it('waits for a body split across reads, also right after the blank line', () => {
    const whole = message('split', 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n');
    const headEnd = whole.indexOf('\r\n\r\n') + 4;
    const framer = new SipStreamFramer();
    expect(framer.push(whole.subarray(0, headEnd))).toEqual([]);
    expect(framer.push(whole.subarray(headEnd, headEnd + 5))).toEqual([]);
    expect(framer.push(whole.subarray(headEnd + 5)).map((m) => parseSipMessage(m).body)).toEqual([
      'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n',
    ]);
  });

  it('reads the compact form l: as Content-Length', () => {
    const framer = new SipStreamFramer();
    expect(framer.push(Buffer.concat([message('x', 'abc', 'l'), message('y', '')])).length).toBe(2);
  });

  const refused = (bytes: string, limits?: { maxHeaderBytes: number; maxBodyBytes: number }) => {
    const framer = new SipStreamFramer(limits);
    try {
      framer.push(Buffer.from(bytes));
    } catch (error) {
      expect(error).toBeInstanceOf(SipStreamError);
      // Once the stream is out of step, nothing more is framed from it.
      expect(() => framer.push(message('next', ''))).toThrow(SipStreamError);
      return (error as SipStreamError).code;
    }
    return 'accepted';
  };

  it('refuses what cannot be framed: no, bad or two different Content-Lengths, oversized parts', () => {
    expect(refused('OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\n\r\n')).toBe('NO_CONTENT_LENGTH');
    expect(refused('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: -1\r\n\r\n')).toBe('BAD_CONTENT_LENGTH');
    expect(refused('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\n')).toBe('BAD_CONTENT_LENGTH');
    expect(refused(`OPTIONS sip:a@b SIP/2.0\r\nX: ${'a'.repeat(200)}`, { maxHeaderBytes: 100, maxBodyBytes: 10 })).toBe(
      'HEADER_TOO_LARGE',
    );
    expect(
      refused('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 11\r\n\r\n', { maxHeaderBytes: 100, maxBodyBytes: 10 }),
    ).toBe('BODY_TOO_LARGE');
  });

  it('throws nothing but a SipStreamError on random bytes, and every message it frames has a header end', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 6 }), (reads) => {
        const framer = new SipStreamFramer({ maxHeaderBytes: 256, maxBodyBytes: 256 });
        try {
          for (const read of reads)
            for (const m of framer.push(Buffer.from(read))) expect(m.indexOf('\r\n\r\n')).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(SipStreamError);
        }
      }),
    );
  });
});
