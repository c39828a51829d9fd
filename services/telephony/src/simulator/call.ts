import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { demo } from '@thankstar/platform/testing';
import { loadSimulatorConfig } from '../config';
import { signWebhook } from '../webhook/webhook-signature';
import { parseSimulatorArgs, type SimulatorArgs } from './simulator-args';

// Keep-alive connections, one per request in flight; node:http costs the client a third of fetch's CPU.
const agent = new Agent({ keepAlive: true, maxSockets: 1024 });

/** Posts one signed call event, as a PBX integration would. */
async function post(args: SimulatorArgs, callId: string, event: string): Promise<number> {
  const body = JSON.stringify({
    callId,
    event,
    from: args.from,
    to: args.to,
    occurredAt: new Date().toISOString(),
  });
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      `${args.url}/v1/calls/events`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-thankstar-key': args.keyId,
          'x-thankstar-signature': signWebhook(args.secret, body, Math.floor(Date.now() / 1000)),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  if (status !== 202) console.error(`${event} ${callId}: ${status} ${text}`);
  return status;
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
  const args = parseSimulatorArgs(process.argv.slice(2), demoKey, loadSimulatorConfig().PORT);
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
