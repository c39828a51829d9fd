import { errorCatalogue } from '@thankstar/contracts/errors';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayError, request } from './client';
import { errorMessageJa } from './errorMessage';
import { operation } from './operation';

describe('errorMessageJa', () => {
  it('renders a code without parameters from the catalogue, whatever the server said', () => {
    expect(errorMessageJa('USER_DISABLED', { message: 'User disabled' })).toBe(errorCatalogue.USER_DISABLED.ja);
  });

  it('fills the parameters, localized ones in Japanese', () => {
    expect(errorMessageJa('MONTH_INVOICED', { params: { month: '2026-11' } })).toBe(
      '2026-11分の請求書は発行済みです。訂正は返金伝票（クレジットノート）で行ってください。',
    );
    expect(errorMessageJa('NOT_FOUND', { params: { resource: { ja: '請求書', en: 'The invoice' } } })).toBe(
      '請求書が見つかりません。',
    );
    expect(
      errorMessageJa('CSV_ENCODING', {
        params: { reason: { ja: 'ファイルが UTF-8 として読めません。', en: 'The file is not valid UTF-8.' } },
      }),
    ).toBe('ファイルが UTF-8 として読めません。');
  });

  it('appends a note in Japanese', () => {
    const text = errorMessageJa('CSV_EMPTY', {
      params: { reason: { ja: '空です。', en: 'Empty.' } },
      note: { key: 'importPartlySaved', params: { jobId: 'j1', rows: 3 } },
    });
    expect(text).toMatch(/^空です。（取込 j1: 先頭の3行/);
  });

  it("falls back to the server's Japanese when a parameter is missing, never a half-filled template", () => {
    const text = errorMessageJa('CSV_ENCODING', { message: '文字コードが違います。' });
    expect(text).toBe('文字コードが違います。');
    expect(errorMessageJa('CSV_ENCODING', {}, 400)).toBe('要求の形式が正しくありません。');
  });

  it("keeps an unknown code's Japanese message, replaces English by the status's sentence", () => {
    expect(errorMessageJa('BRAND_NEW_CODE', { message: '新しい拒否です。' })).toBe('新しい拒否です。');
    expect(errorMessageJa('GRAPHQL_VALIDATION_FAILED', { message: 'Cannot query field "x"' }, 400)).toBe(
      '要求の形式が正しくありません。',
    );
    expect(errorMessageJa('SOMETHING', { message: 'Boom' })).toBe('要求を受け付けられませんでした。');
  });

  it('never shows a placeholder or an English-only text (any code, any params, any message)', () => {
    const codes = Object.keys(errorCatalogue);
    const param = fc.oneof(
      fc.stringMatching(/^[a-z0-9 ]{0,5}$/),
      fc.integer(),
      fc.record({ ja: fc.constant('日本語'), en: fc.constant('English') }),
      fc.constant(null),
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...codes), fc.stringMatching(/^[A-Z_]{1,12}$/)),
        fc.dictionary(fc.constantFrom('reason', 'capacity', 'month', 'resource', 'max', 'x'), param),
        fc.oneof(fc.constant(undefined), fc.constant('English only'), fc.constant('日本語のメッセージ')),
        (code, params, message) => {
          const text = errorMessageJa(code, { params, message });
          expect(text).not.toMatch(/\{[A-Za-z]+\}/);
          expect(text).not.toContain('English');
        },
      ),
    );
  });
});

describe('request: every GraphQL error in Japanese by code', () => {
  const Op = operation<{ x: number }>('{ x }');
  const answer = (status: number, body: unknown) =>
    vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

  beforeEach(() => vi.stubGlobal('window', {}));
  afterEach(() => vi.unstubAllGlobals());

  const refusal = async (): Promise<GatewayError> => {
    const err = await request(Op, {}, 'token', false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  };

  it('renders extensions.code with extensions.params, keeps code and details', async () => {
    vi.stubGlobal(
      'fetch',
      answer(200, {
        errors: [
          {
            message: '同時接続数の上限（2）に達しています。',
            extensions: {
              code: 'CONNECTION_LIMIT_REACHED',
              params: { capacity: 2 },
              messageEn: 'All 2 concurrent connections are in use',
              details: { capacity: 2, holders: [] },
            },
          },
        ],
      }),
    );
    const err = await refusal();
    expect(err.code).toBe('CONNECTION_LIMIT_REACHED');
    expect(err.message).toBe(
      '同時接続数の上限（2）に達しています。接続中の端末を閉じるか、管理者に接続パックの追加をご相談ください。',
    );
    expect(err.details).toEqual({ capacity: 2, holders: [] });
  });

  it('answers NETWORK_ERROR and BAD_RESPONSE in Japanese', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const network = await refusal();
    expect(network.code).toBe('NETWORK_ERROR');
    expect(network.message).toBe(errorCatalogue.NETWORK_ERROR.ja);

    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('<html>bad gateway</html>', { status: 502 })),
    );
    const bad = await refusal();
    expect(bad.code).toBe('BAD_RESPONSE');
    expect(bad.message).toBe('サーバーから正しい応答がありませんでした（HTTP 502）。');
  });
});
