import { describe, expect, it } from 'vitest';
import { parseSimulatorArgs } from './simulator-args';

const demo = { keyId: 'demo-key-1', secret: 'demo-secret', line: '0312345678' };

describe('call simulator arguments', () => {
  it('rings the demo line from a number', () => {
    expect(parseSimulatorArgs(['--tenant', 'demo', '--from', '03-1234-5678'], demo)).toMatchObject({
      keyId: 'demo-key-1',
      secret: 'demo-secret',
      from: '03-1234-5678',
      to: '0312345678',
      events: ['ringing'],
      load: null,
    });
  });

  it('reads a flow, a load and another key', () => {
    expect(
      parseSimulatorArgs(
        ['--events', 'ringing,answered,ended', '--load', '1000', '--concurrency', '8', '--key', 'k', '--secret', 's'],
        demo,
      ),
    ).toMatchObject({
      events: ['ringing', 'answered', 'ended'],
      load: 1000,
      concurrency: 8,
      keyId: 'k',
    });
  });

  it.each([[['--events', 'exploded']], [['--load', '0']], [['--from']], [['from']], [['--tenant', 'acme']]])(
    'refuses %j',
    (argv) => {
      expect(() => parseSimulatorArgs(argv, demo)).toThrow();
    },
  );
});
