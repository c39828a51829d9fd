import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyFailure, failureReason, isRecordRefusal } from './failure-class';

/** What pg and TypeORM throw: a QueryFailedError copies the driver error's code and keeps it. */
const pgError = (code: string, message = 'boom') => Object.assign(new Error(message), { code });
const queryFailed = (code: string) =>
  Object.assign(new Error('query failed'), { name: 'QueryFailedError', code, driverError: pgError(code) });
const kafkaError = (name: string, type?: string, retriable = false) =>
  Object.assign(new Error(`${name} ${type ?? ''}`), { name, type, retriable });

describe('classifyFailure', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['admin shutdown', pgError('57P01', 'terminating connection due to administrator command')],
    ['cannot connect now', pgError('57P03', 'the database system is starting up')],
    ['too many connections', pgError('53300')],
    ['serialization', queryFailed('40001')],
    ['deadlock', queryFailed('40P01')],
    ['lock timeout', queryFailed('55P03')],
    ['statement timeout', queryFailed('57014')],
    ['connection exception class 08', pgError('08006')],
    ['connection terminated (no code)', new Error('Connection terminated unexpectedly')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['database not accepting connections', pgError('55000', 'database "x" is not currently accepting connections')],
    ['kafkajs connection error', kafkaError('KafkaJSConnectionError', undefined, true)],
    ['kafkajs coordinator not found (non-retriable to kafkajs)', kafkaError('KafkaJSGroupCoordinatorNotFound')],
    ['kafkajs retries exceeded', kafkaError('KafkaJSNumberOfRetriesExceeded')],
    ['wrapped in a cause', new Error('handler failed', { cause: pgError('57P01') })],
    ['an aggregate of refused addresses', Object.assign(new AggregateError([pgError('ECONNREFUSED')], 'x'))],
  ])('%s is transient', (_name, err) => {
    expect(classifyFailure(err)).toBe('transient');
  });

  it.each([
    ['unique violation', queryFailed('23505')],
    ['foreign key violation', queryFailed('23503')],
    ['invalid text representation (22P02)', queryFailed('22P02')],
    ['numeric out of range', pgError('22003')],
    ['undefined column', pgError('42703')],
    ['a domain error', Object.assign(new Error('契約がありません'), { code: 'CONTRACT_NOT_FOUND', status: 404 })],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['a string', 'nope'],
    ['undefined', undefined],
    ['message too large', kafkaError('KafkaJSProtocolError', 'MESSAGE_TOO_LARGE')],
    ['invalid record', kafkaError('KafkaJSProtocolError', 'INVALID_RECORD')],
    [
      'a record refusal wrapped by kafkajs',
      Object.assign(kafkaError('KafkaJSNonRetriableError'), {
        cause: kafkaError('KafkaJSProtocolError', 'CORRUPT_MESSAGE'),
      }),
    ],
    [
      'a constraint under a transient-looking wrapper',
      Object.assign(new Error('Connection terminated'), { cause: undefined, code: '23505' }),
    ],
  ])('%s is permanent', (_name, err) => {
    expect(classifyFailure(err)).toBe('permanent');
  });

  it('property: a data or constraint SQLSTATE is permanent however deeply it is wrapped', () => {
    const sqlstate = fc
      .tuple(fc.constantFrom('22', '23', '42'), fc.stringMatching(/^[0-9A-Z]{3}$/))
      .map(([a, b]) => a + b);
    fc.assert(
      fc.property(sqlstate, fc.nat(4), (code, depth) => {
        let err: unknown = pgError(code);
        for (let i = 0; i < depth; i++) err = new Error(`wrap ${i}`, { cause: err });
        return classifyFailure(err) === 'permanent';
      }),
    );
  });

  it('property: the availability SQLSTATEs are transient however deeply they are wrapped', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('57P01', '57P03', '53300', '40001', '40P01', '55P03', '57014', '08006'),
        fc.nat(4),
        (code, depth) => {
          let err: unknown = queryFailed(code);
          for (let i = 0; i < depth; i++) err = new Error(`wrap ${i}`, { cause: err });
          return classifyFailure(err) === 'transient';
        },
      ),
    );
  });

  it('property: a Kafka record refusal is never retried, whatever wraps it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE'),
        fc.nat(3),
        (type, depth) => {
          let err: unknown = kafkaError('KafkaJSProtocolError', type);
          for (let i = 0; i < depth; i++) err = Object.assign(kafkaError('KafkaJSNonRetriableError'), { cause: err });
          return classifyFailure(err) === 'permanent' && isRecordRefusal(err);
        },
      ),
    );
  });
});

describe('isRecordRefusal / failureReason', () => {
  it('a broker outage is not a record refusal', () => {
    expect(isRecordRefusal(kafkaError('KafkaJSConnectionError', undefined, true))).toBe(false);
    expect(isRecordRefusal(kafkaError('KafkaJSProtocolError', 'NOT_LEADER_FOR_PARTITION', true))).toBe(false);
  });
  it('names the code first', () => {
    expect(failureReason(kafkaError('KafkaJSProtocolError', 'MESSAGE_TOO_LARGE'))).toMatch(/^MESSAGE_TOO_LARGE: /);
    expect(failureReason(pgError('23505', 'duplicate key'))).toBe('23505: duplicate key');
  });
});
