import { Transform, type TransformCallback } from 'node:stream';
import { Controller, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { CurrentPrincipal, DomainError, type Principal, Roles } from '@thankstar/platform';
import { CONFIG, type CustomersConfig } from '../config';
import { CsvService } from './csv.service';
import type { CsvEncoding } from './csv-stream';

interface UploadRequest extends NodeJS.ReadableStream {
  headers: Record<string, string | string[] | undefined>;
  readableEnded: boolean;
  destroy(error?: Error): void;
}

const csvTypes = new Set(['text/csv', 'application/csv', 'text/plain', 'application/octet-stream']);
const flag = (v: string | undefined, name: string) => {
  if (v === undefined || v === '' || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw new DomainError('INVALID_IMPORT_OPTIONS', {
    reason: { ja: `${name} は true か false です。`, en: `${name} must be true or false.` },
  });
};

/** Counts bytes as they pass and fails the stream past the limit (a body without Content-Length, or a lying one). */
class SizeLimit extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) done(tooLarge(this.limit));
    else done(null, chunk);
  }
}

const tooLarge = (limit: number) =>
  new DomainError('CSV_TOO_LARGE', {
    reason: {
      ja: `アップロードが${Math.floor(limit / 1024 / 1024)}MBを超えています。`,
      en: `The upload is larger than ${Math.floor(limit / 1024 / 1024)} MB.`,
    },
  });

/**
 * `POST /v1/customers/import?encoding=SHIFT_JIS&dryRun=true[&dataEntry=true][&jobId=<uuid>][&mapping=<json>]`
 * with the CSV file itself as the body (Content-Type text/csv or application/octet-stream), for files
 * too large for the GraphQL mutation's JSON body. The body is read as a stream and imported as it
 * arrives; the tenant comes from the access token (Bearer, as for GraphQL). Answers the import report
 * as JSON; errors are `{code, message}` with a 4xx status. Follow progress with `importJob(jobId)`.
 */
@Controller('v1/customers')
export class CsvUploadController {
  constructor(
    private readonly csv: CsvService,
    /** Upload size limit in bytes (CUSTOMERS_IMPORT_MAX_BYTES; 200 MB by default holds a million typical rows). */
    @Inject(CONFIG) private readonly config: Pick<CustomersConfig, 'CUSTOMERS_IMPORT_MAX_BYTES'>,
  ) {}

  @Roles('tenant-admin')
  @Post('import')
  @HttpCode(200)
  async upload(
    @CurrentPrincipal() principal: Principal,
    @Req() req: UploadRequest,
    @Res({ passthrough: true }) res: { setHeader(name: string, value: string): void },
    @Query('encoding') encoding: string | undefined,
    @Query('dryRun') dryRun: string | undefined,
    @Query('dataEntry') dataEntry: string | undefined,
    @Query('jobId') jobId: string | undefined,
    @Query('mapping') mapping: string | undefined,
  ) {
    try {
      return await this.importBody(principal, req, { encoding, dryRun, dataEntry, jobId, mapping });
    } catch (err) {
      // Refused before the whole body arrived: the rest is not read, so the connection cannot be reused.
      if (!req.readableEnded) res.setHeader('connection', 'close');
      throw err;
    }
  }

  private async importBody(
    principal: Principal,
    req: UploadRequest,
    q: {
      encoding: string | undefined;
      dryRun: string | undefined;
      dataEntry: string | undefined;
      jobId: string | undefined;
      mapping: string | undefined;
    },
  ) {
    const { encoding, dryRun, dataEntry, jobId, mapping } = q;
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase();
    if (!type || !csvTypes.has(type)) throw new DomainError('CSV_CONTENT_TYPE');
    const enc = (encoding ?? '').toUpperCase().replace('-', '_');
    if (enc !== 'UTF8' && enc !== 'SHIFT_JIS' && enc !== 'UTF_8')
      throw new DomainError('INVALID_IMPORT_OPTIONS', {
        reason: { ja: 'encoding は UTF8 か SHIFT_JIS です。', en: 'encoding must be UTF8 or SHIFT_JIS.' },
      });
    let columns: Record<string, string> = {};
    if (mapping) {
      try {
        const parsed: unknown = JSON.parse(mapping);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        columns = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
      } catch {
        throw new DomainError('INVALID_IMPORT_OPTIONS', {
          reason: {
            ja: 'mapping は JSON オブジェクト {"列": "項目", ...} です。',
            en: 'mapping must be a JSON object: {"column": "field", ...}.',
          },
        });
      }
    }
    const limit = this.config.CUSTOMERS_IMPORT_MAX_BYTES;
    const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
    if (declared !== null && declared > limit) throw tooLarge(limit);
    if (declared === 0)
      throw new DomainError('CSV_EMPTY', {
        reason: {
          ja: '本文が空です。CSVファイルを本文として送ってください。',
          en: 'The body is empty: send the CSV file as the body.',
        },
      });
    const body = req.pipe(new SizeLimit(limit));
    req.on('error', (err) => body.destroy(err));
    return this.csv.import(principal, body, {
      encoding: enc === 'SHIFT_JIS' ? 'SHIFT_JIS' : ('UTF8' satisfies CsvEncoding),
      dryRun: flag(dryRun, 'dryRun'),
      dataEntry: flag(dataEntry, 'dataEntry'),
      jobId: jobId ?? null,
      mapping: columns,
      bytesTotal: declared,
    });
  }
}
