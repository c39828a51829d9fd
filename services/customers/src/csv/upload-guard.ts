import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '@thankstar/platform';

/*
 * What keeps one tenant's imports from starving everyone else (the "slow upload" attack: ten
 * dry-run uploads that send the header and stall used to hold all ten pooled connections, and the
 * tenant's import lock, for as long as the client liked):
 *   - an upload is spooled to a local file first, with NO connection or lock held while the client
 *     sends (only the job row's heartbeat, a one-statement autocommit every few seconds);
 *   - a stalled upload is cut after IMPORT_IDLE_TIMEOUT_MS without a byte (408 IMPORT_UPLOAD_TIMEOUT);
 *   - a tenant runs at most IMPORT_MAX_PER_TENANT imports at once (uploading or processing), the next
 *     is refused with 429 IMPORT_CONCURRENCY_LIMIT (counted in import_jobs, so across replicas);
 *   - the processing of spooled files takes one of IMPORT_PROCESSING_SLOTS per replica, and a
 *     tenant's imports are processed one after the other, so imports never take more than that many
 *     pooled connections, and they never wait on a client while holding one.
 * The limits are the service's configuration (src/config.ts, the CONFIG token), which CsvService
 * passes in; nothing here reads the environment.
 */

export const tooManyImports = (max: number) => new DomainError('IMPORT_CONCURRENCY_LIMIT', { max });

export const uploadTimedOut = (idleMs: number) =>
  new DomainError('IMPORT_UPLOAD_TIMEOUT', { seconds: Math.round(idleMs / 1000) });

/**
 * Writes the upload to a file in `spool.dir` (CUSTOMERS_IMPORT_SPOOL_DIR; unset: the OS temp
 * directory) and resolves once the client sent all of it. Fails with
 * IMPORT_UPLOAD_TIMEOUT when no byte arrives for `spool.idleMs` (the source is destroyed, so the HTTP
 * layer stops reading it), and with the source's own error (size limit, client gone). The file is
 * removed on failure; the caller removes it after processing.
 */
export async function spoolToFile(
  source: Readable,
  name: string,
  spool: { dir: string | undefined; idleMs: number },
  onBytes: (n: number) => void,
): Promise<string> {
  const { idleMs } = spool;
  const path = join(spool.dir ?? tmpdir(), `thankstar-import-${name}.csv`);
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => source.destroy(uploadTimedOut(idleMs)), idleMs);
  };
  arm();
  source.on('data', (chunk: Buffer) => {
    onBytes(chunk.length);
    arm();
  });
  try {
    await pipeline(source, createWriteStream(path, { flags: 'wx' }));
    return path;
  } catch (err) {
    await unlink(path).catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** A counting semaphore: at most `size` holders, the others wait in order (without any connection). */
export class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: () => number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.used >= this.size()) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.used++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.used--;
    }
  }
}

/** One import at a time per tenant in this replica (the advisory lock serialises across replicas). */
export class PerKey {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.catch(() => undefined).then(work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
