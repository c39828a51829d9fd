import fc from 'fast-check';
import { buildSchema, getOperationAST, parse } from 'graphql/index.js';
import { describe, expect, it } from 'vitest';
import { argumentError, argumentProblems, MAX_STRING_ARGUMENT, stringProblem } from './argument-rules';

const schema = buildSchema(`
  input CallFilter { lineId: ID, number: String, status: [String!] }
  input PhoneInput { number: String!, type: String }
  input CustomerInput { name: String!, phones: [PhoneInput!], tags: [String!] }
  input CustomerImportInput { contentBase64: String!, jobId: ID }
  type Query {
    calls(filter: CallFilter, limit: Int = 50): Int
    popup(callId: ID!): Int
    customer(id: ID!): Customer
  }
  type Customer { id: ID!, purchases(limit: Int, note: String): Int }
  type Mutation {
    createCustomer(input: CustomerInput!): Int
    importCustomersCsv(input: CustomerImportInput!): Int
    markMissedCallsSeen(callIds: [ID!]!): Int
  }
`);
const UUID = '123e4567-e89b-12d3-a456-426614174000';

const check = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  return argumentProblems(schema, document, operation, variables);
};

describe('argumentProblems', () => {
  it('refuses a non-UUID id inline and through a variable, naming the argument in Japanese', () => {
    expect(check('{ calls(filter: { lineId: "x" }) }')).toMatchObject({
      argument: 'filter.lineId',
      coordinate: 'CallFilter.lineId',
      message: expect.stringContaining('UUID'),
    });
    expect(check('query ($f: CallFilter) { calls(filter: $f) }', { f: { lineId: 'x' } })?.argument).toBe(
      'filter.lineId',
    );
    expect(check('query ($id: ID!) { customer(id: $id) { id } }', { id: '1' })?.message).toMatch(/^引数 id は UUID/);
    expect(check('mutation { markMissedCallsSeen(callIds: ["%s", "nope"]) }'.replace('%s', UUID))?.argument).toBe(
      'callIds[1]',
    );
    expect(check(`{ calls(filter: { lineId: "${UUID}" }) customer(id: "${UUID.toUpperCase()}") { id } }`)).toBeNull();
  });

  it('lets the named exceptions through: a call source id is not a UUID', () => {
    expect(check('{ popup(callId: "CA0001-twilio") }')).toBeNull();
    expect(check('{ popup(callId: "a\\u0000b") }')?.message).toMatch(/NUL/);
  });

  it('refuses NUL and lone surrogates anywhere: nested input objects, lists, fields below the root, fragments', () => {
    const nul = check('mutation ($i: CustomerInput!) { createCustomer(input: $i) }', {
      i: { name: '山田', phones: [{ number: '0311112222' }, { number: '03\u00001111' }] },
    });
    expect(nul).toMatchObject({ argument: 'input.phones[1].number', coordinate: 'PhoneInput.number' });
    expect(nul?.message).toContain('U+0000');
    const lone = check('mutation ($t: [String!]) { createCustomer(input: { name: "x", tags: $t }) }', {
      t: ['ok', 'bad\uD800'],
    });
    expect(lone).toMatchObject({ argument: 'input.tags[1]', message: expect.stringContaining('サロゲート') });
    expect(
      check(`query { customer(id: "${UUID}") { ...F } } fragment F on Customer { purchases(note: "\\u0000") }`),
    ).toMatchObject({ argument: 'note', coordinate: 'Customer.purchases(note:)' });
    expect(check('mutation { createCustomer(input: { name: "😀 絵文字" }) }')).toBeNull();
  });

  it('refuses strings over 100,000 characters unless the input has its own limit', () => {
    const at = 'a'.repeat(MAX_STRING_ARGUMENT);
    expect(check('query ($n: String) { calls(filter: { number: $n }) }', { n: at })).toBeNull();
    expect(check('query ($n: String) { calls(filter: { number: $n }) }', { n: `${at}a` })?.message).toContain(
      '100,000',
    );
    expect(
      check('mutation ($c: String!) { importCustomersCsv(input: { contentBase64: $c }) }', { c: at + at }),
    ).toBeNull();
  });

  it('leaves values that do not coerce to graphql-js (its own BAD_USER_INPUT)', () => {
    expect(check('query ($l: Int) { calls(limit: $l) }', { l: 2 ** 31 })).toBeNull();
    expect(check('query ($f: CallFilter) { calls(filter: $f) }', { f: 'not an object' })).toBeNull();
  });

  it('answers BAD_USER_INPUT with HTTP 400 and the argument', () => {
    const problem = check('{ calls(filter: { lineId: "x" }) }');
    if (!problem) throw new Error('expected a problem');
    const error = argumentError(problem);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'filter.lineId', http: { status: 400 } });
  });
});

describe('stringProblem (properties)', () => {
  const text = fc.string({ unit: 'binary', maxLength: 200 }).filter((s) => !s.includes('\u0000'));
  it('well-formed text without NUL within the limit is always accepted', () => {
    fc.assert(fc.property(text, (s) => stringProblem(s, 'String', 'a', 'Q.f(a:)') === null));
  });
  it('a NUL or a lone surrogate anywhere is always refused', () => {
    const bad = fc.oneof(
      fc.constant('\u0000'),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    );
    fc.assert(
      fc.property(text, bad, text, (a, b, c) => {
        // Two halves of a pair around `b` could pair up with it: keep the neighbours plain.
        const s = `${a}x${b}x${c}`;
        return stringProblem(s, 'String', 'a', 'Q.f(a:)') !== null;
      }),
    );
  });
  it('an ID is accepted exactly when it is a UUID', () => {
    fc.assert(fc.property(fc.uuid(), (u) => stringProblem(u, 'ID', 'id', 'Query.customer(id:)') === null));
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^[0-9a-f-]{36}$/i.test(s)),
        (s) => stringProblem(s, 'ID', 'id', 'Query.customer(id:)') !== null,
      ),
    );
  });
});
