/**
 * Cuts a SIP byte stream (TCP, RFC 3261 §18.3) into whole messages: a message is its header
 * section up to the first blank line, then exactly Content-Length bytes of body (bytes, not
 * characters). CRLFs between messages are skipped (§7.5; they are also RFC 5626 keep-alives).
 * Over a stream Content-Length is mandatory: without it, or with one that is not a number, the
 * stream cannot be framed any further and the connection has to be closed. Parsing each framed
 * message is left to parseSipMessage.
 */
export type SipStreamErrorCode = 'HEADER_TOO_LARGE' | 'BODY_TOO_LARGE' | 'NO_CONTENT_LENGTH' | 'BAD_CONTENT_LENGTH';

export class SipStreamError extends Error {
  constructor(
    readonly code: SipStreamErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SipStreamLimits {
  /** Longest header section (start line and headers) accepted, in bytes. */
  maxHeaderBytes: number;
  /** Largest Content-Length accepted, in bytes. */
  maxBodyBytes: number;
}

export const DEFAULT_STREAM_LIMITS: SipStreamLimits = { maxHeaderBytes: 16 * 1024, maxBodyBytes: 64 * 1024 };

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CR = 0x0d;
const LF = 0x0a;

export class SipStreamFramer {
  private buffer: Buffer = Buffer.alloc(0);
  private failed: SipStreamError | undefined;

  constructor(private readonly limits: SipStreamLimits = DEFAULT_STREAM_LIMITS) {}

  /** Bytes received that do not yet make a whole message. */
  get pending(): number {
    return this.buffer.length;
  }

  /**
   * Adds the bytes just read and returns every message they complete, in order. Throws a
   * SipStreamError when the stream cannot be framed; the framer then refuses further input.
   */
  push(chunk: Buffer): Buffer[] {
    if (this.failed) throw this.failed;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const messages: Buffer[] = [];
    for (;;) {
      let start = 0;
      while (start < this.buffer.length && (this.buffer[start] === CR || this.buffer[start] === LF)) start++;
      if (start > 0) this.buffer = this.buffer.subarray(start);
      if (this.buffer.length === 0) break;
      const headEnd = this.buffer.indexOf(CRLFCRLF);
      if (headEnd === -1) {
        if (this.buffer.length > this.limits.maxHeaderBytes)
          this.fail('HEADER_TOO_LARGE', `no end of headers within ${this.limits.maxHeaderBytes} bytes`);
        break;
      }
      if (headEnd > this.limits.maxHeaderBytes)
        this.fail('HEADER_TOO_LARGE', `headers longer than ${this.limits.maxHeaderBytes} bytes`);
      const length = this.contentLength(this.buffer.subarray(0, headEnd).toString('latin1'));
      const total = headEnd + CRLFCRLF.length + length;
      if (this.buffer.length < total) break;
      // Copied out, so a kept message does not pin the whole read buffer.
      messages.push(Buffer.from(this.buffer.subarray(0, total)));
      this.buffer = this.buffer.subarray(total);
    }
    return messages;
  }

  private contentLength(head: string): number {
    let found: number | undefined;
    for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
      const match = /^(content-length|l)[ \t]*:(.*)$/i.exec(line);
      if (!match) continue;
      const value = (match[2] as string).trim();
      if (!/^\d{1,10}$/.test(value)) this.fail('BAD_CONTENT_LENGTH', `Content-Length is not a number: ${value}`);
      const length = Number(value);
      if (found !== undefined && found !== length)
        this.fail('BAD_CONTENT_LENGTH', 'two different Content-Length values');
      found = length;
    }
    if (found === undefined) this.fail('NO_CONTENT_LENGTH', 'a message over a stream must carry Content-Length');
    if (found > this.limits.maxBodyBytes)
      this.fail('BODY_TOO_LARGE', `a body of ${found} bytes is over ${this.limits.maxBodyBytes}`);
    return found;
  }

  private fail(code: SipStreamErrorCode, message: string): never {
    this.failed = new SipStreamError(code, message);
    this.buffer = Buffer.alloc(0);
    throw this.failed;
  }
}
