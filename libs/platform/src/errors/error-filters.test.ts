import { join } from 'node:path';
import type { ArgumentsHost } from '@nestjs/common';
import { BadRequestException } from '@nestjs/common';
import { errorCatalogue } from '@thankstar/contracts';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { badInput, DomainError, notFound } from './domain-error';
import { catalogueGraphQLError, ErrorFilter, toGraphQLError } from './error-filters';

function rest(exception: unknown): { status: number; body: Record<string, unknown> } {
  const out = { status: 0, body: {} as Record<string, unknown> };
  const res = {
    status(code: number) {
      out.status = code;
      return res;
    },
    json(body: Record<string, unknown>) {
      out.body = body;
    },
  };
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new ErrorFilter().catch(exception, host);
  return out;
}

describe('DomainError from the catalogue', () => {
  it('takes code, status and both messages from the catalogue entry', () => {
    const err = new DomainError('MONTH_INVOICED', { month: '2026-11' });
    expect(err.code).toBe('MONTH_INVOICED');
    expect(err.status).toBe(409);
    expect(err.message).toBe('2026-11分の請求書は発行済みです。訂正は返金伝票（クレジットノート）で行ってください。');
    expect(err.messageEn).toBe('The invoice of 2026-11 is issued; correct it with a credit note.');
  });

  it('answers a key with its own wire code under that code', () => {
    const err = new DomainError('LEASE_OF_DISABLED_USER');
    expect(err.code).toBe('LEASE_NOT_FOUND');
    expect(err.message).toBe(errorCatalogue.LEASE_OF_DISABLED_USER.ja);
  });

  it('keeps code, status and params when a note is added', () => {
    const noted = new DomainError('CSV_EMPTY', { reason: { ja: '空です。', en: 'Empty.' } }).withNote(
      'importPartlySaved',
      {
        jobId: 'j1',
        rows: 3,
      },
    );
    expect(noted).toBeInstanceOf(DomainError);
    expect(noted.code).toBe('CSV_EMPTY');
    expect(noted.message).toMatch(/^空です。（取込 j1: 先頭の3行/);
    expect(noted.messageEn).toMatch(/^Empty\. \(import j1: the first 3 rows/);
  });

  it('refuses an unknown code and missing parameters at compile time', () => {
    const dir = __dirname;
    const file = join(dir, '__typecheck__.ts');
    const source = [
      "import { DomainError } from './domain-error';",
      "new DomainError('TYPO_CODE');",
      "new DomainError('MONTH_INVOICED');",
      "new DomainError('MONTH_INVOICED', { mnth: '2026-11' });",
      "new DomainError('MONTH_INVOICED', { month: '2026-11' });",
      "new DomainError('CONTRACT_TERMINATED');",
    ].join('\n');
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      skipLibCheck: true,
      experimentalDecorators: true,
      paths: { '@thankstar/contracts': [join(dir, '../../../contracts/src/index.ts')] },
    };
    const host = ts.createCompilerHost(options);
    const read = host.readFile;
    host.readFile = (f) => (f === file ? source : read(f));
    const exists = host.fileExists;
    host.fileExists = (f) => f === file || exists(f);
    const program = ts.createProgram([file], options, host);
    const lines = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === file)
      .map((d) => d.file?.getLineAndCharacterOfPosition(d.start ?? 0).line);
    // Lines 1–3 (0-based) are wrong; 4 and 5 compile.
    expect([...new Set(lines)].sort()).toEqual([1, 2, 3]);
  }, 60_000);
});

describe('ErrorFilter (REST)', () => {
  it('answers Japanese in message, the stable code, English and params beside', () => {
    const { status, body } = rest(new DomainError('PLAN_EXISTS', { code: 'CLOUD' }));
    expect(status).toBe(409);
    expect(body).toEqual({
      code: 'PLAN_EXISTS',
      message: 'プランコード CLOUD のプランはすでに存在します。',
      messageEn: 'A plan with the code CLOUD already exists.',
      params: { code: 'CLOUD' },
    });
  });

  it('keeps details and renders localised parameters per language', () => {
    const { status, body } = rest(notFound('invoice'));
    expect(status).toBe(404);
    expect(body).toMatchObject({
      code: 'NOT_FOUND',
      message: '請求書が見つかりません。',
      messageEn: 'The invoice was not found.',
    });
    const withDetails = rest(badInput({ ja: '多すぎます。', en: 'Too many.' }, { limits: [1] })).body;
    expect(withDetails).toMatchObject({ code: 'BAD_USER_INPUT', message: '多すぎます。', details: { limits: [1] } });
  });

  it('puts a Nest HttpException in Japanese by status, its own text in messageEn', () => {
    const { status, body } = rest(new BadRequestException('Unexpected token'));
    expect(status).toBe(400);
    expect(body).toEqual({
      code: 'BAD_REQUEST',
      message: '要求の形式が正しくありません。',
      messageEn: 'Unexpected token',
    });
  });

  it('hides internals behind INTERNAL in Japanese', () => {
    const error = console.error;
    console.error = () => undefined;
    try {
      const { status, body } = rest(new Error('pg: relation does not exist'));
      expect(status).toBe(500);
      expect(body).toEqual({
        code: 'INTERNAL',
        message: errorCatalogue.INTERNAL.ja,
        messageEn: errorCatalogue.INTERNAL.en,
      });
    } finally {
      console.error = error;
    }
  });
});

describe('GraphQL errors', () => {
  it('carry the code, the Japanese message and messageEn', () => {
    const gql = toGraphQLError(new DomainError('CALL_NOT_FOUND', { callId: 'c-1' }));
    expect(gql.message).toBe('着信 c-1 はこのテナントにありません。');
    expect(gql.extensions).toMatchObject({
      code: 'CALL_NOT_FOUND',
      messageEn: 'No call c-1 has rung for your tenant.',
      params: { callId: 'c-1' },
    });
  });

  it('catalogueGraphQLError adds the caller’s extensions', () => {
    const gql = catalogueGraphQLError('SUBSCRIPTION_LIMIT_REACHED', { max: 5 }, { max: 5 });
    expect(gql.message).toContain('5件まで');
    expect(gql.extensions).toMatchObject({ code: 'SUBSCRIPTION_LIMIT_REACHED', max: 5 });
  });
});
