import { randomUUID } from 'node:crypto';
import { demo } from '@thankstar/platform';
import { signWebhook } from '../webhook/webhook-signature';
import { parseSimulatorArgs, type SimulatorArgs } from './simulator-args';

/** Posts one signed call event, as a PBX integration would. */
async function post(args: SimulatorArgs, callId: string, event: string): Promise<number> {
  const body = JSON.stringify({ callId, event, from: args.from, to: args.to, occurredAt: new Date().toISOString() });
  const res = await fetch(`${args.url}/v1/calls/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-thankstar-key': args.keyId,
      'x-thankstar-signature': signWebhook(args.secret, body, Math.floor(Date.now() / 1000)),
    },
    body,
  });
  if (res.status !== 202) console.error(`${event} ${callId}: ${res.status} ${await res.text()}`);
  return res.status;
}

async function playCall(args: SimulatorArgs, callId: string): Promise<number> {
  let accepted = 0;
  for (const event of args.events) if ((await post(args, callId, event)) === 202) accepted++;
  return accepted;
}

/** Load mode: `calls` calls, `concurrency` of them in flight, each playing its events in order. */
export async function runLoad(
  args: SimulatorArgs,
  calls: number,
): Promise<{ events: number; accepted: number; seconds: number }> {
  const started = performance.now();
  let next = 0;
  let accepted = 0;
  const worker = async () => {
    while (next < calls) {
      next++;
      // Read the result first: `accepted += await …` would add to a stale total.
      const played = await playCall(args, `load-${randomUUID()}`);
      accepted += played;
    }
  };
  await Promise.all(Array.from({ length: args.concurrency }, worker));
  return { events: calls * args.events.length, accepted, seconds: (performance.now() - started) / 1000 };
}

export const demoKey = { keyId: demo.webhook.keyId, secret: demo.webhook.secret, line: demo.line.number };

async function main(): Promise<void> {
  const args = parseSimulatorArgs(process.argv.slice(2), demoKey);
  if (args.load === null) {
    const callId = `sim-${randomUUID()}`;
    const accepted = await playCall(args, callId);
    console.log(`call ${callId}: ${accepted}/${args.events.length} event(s) accepted`);
    if (accepted !== args.events.length) process.exitCode = 1;
    return;
  }
  const result = await runLoad(args, args.load);
  console.log(JSON.stringify({ ...result, acceptedPerSecond: Math.round(result.accepted / result.seconds) }));
  if (result.accepted !== result.events) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
