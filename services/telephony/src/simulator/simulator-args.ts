import { type CallEventKind, callEventKinds } from '@thankstar/contracts';

export interface SimulatorArgs {
  url: string;
  keyId: string;
  secret: string;
  from: string;
  to: string;
  events: CallEventKind[];
  /** Load mode: how many calls, and how many requests in flight. */
  load: number | null;
  concurrency: number;
}

/** The demo tenant's public, development-only signing key (libs/platform demo). */
export interface DemoKey {
  keyId: string;
  secret: string;
  line: string;
}

/**
 * `call -- --tenant demo --from 03-1234-5678 [--to …] [--events ringing,answered,ended]
 *  [--key id --secret s] [--url http://127.0.0.1:4001] [--load 5000 --concurrency 32]`;
 * without --url, the instance on `defaultPort` of this host (PORT, see config.ts).
 */
export function parseSimulatorArgs(argv: string[], demoKey: DemoKey, defaultPort = 4001): SimulatorArgs {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (!name?.startsWith('--')) throw new Error(`unexpected argument ${name}`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
    flags.set(name.slice(2), value);
    i++;
  }
  const tenant = flags.get('tenant');
  if (tenant && tenant !== 'demo' && !flags.has('key'))
    throw new Error('only --tenant demo has a built-in key; pass --key and --secret');
  const events = (flags.get('events') ?? 'ringing').split(',').map((e) => e.trim());
  for (const e of events) if (!(callEventKinds as readonly string[]).includes(e)) throw new Error(`unknown event ${e}`);
  const positive = (name: string, fallback: number | null) => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);
    return n;
  };
  return {
    url: (flags.get('url') ?? `http://127.0.0.1:${defaultPort}`).replace(/\/$/, ''),
    keyId: flags.get('key') ?? demoKey.keyId,
    secret: flags.get('secret') ?? demoKey.secret,
    from: flags.get('from') ?? '090-1111-2222',
    to: flags.get('to') ?? demoKey.line,
    events: events as CallEventKind[],
    load: positive('load', null),
    concurrency: positive('concurrency', 32) ?? 32,
  };
}
