// Rings a call on the local stack the way a customer's phone system would: a signed webhook.
//   node deploy/local/ring.mjs [from] [callId]      (defaults: the demo customer's number)
//   node deploy/local/ring.mjs --curl               (prints a ready curl instead, valid 5 minutes)
import { createHmac, randomUUID } from 'node:crypto';

export const demoWebhook = { keyId: 'demo-key-1', secret: 'demo-webhook-secret-change-me' };

/** `X-Thankstar-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` */
export function signWebhook(body, secret, t = Math.floor(Date.now() / 1000)) {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

export function ringBody({
  callId = randomUUID(),
  event = 'ringing',
  from = '090-1111-2222',
  to = '03-1234-5678',
} = {}) {
  return JSON.stringify({ callId, event, from, to, occurredAt: new Date().toISOString() });
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const base = process.env.TELEPHONY_HTTP_URL ?? 'http://127.0.0.1:4001';
  const args = process.argv.slice(2);
  const curl = args.includes('--curl');
  const [from, callId] = args.filter((a) => a !== '--curl');
  const body = ringBody({ from: from ?? '090-1111-2222', callId: callId ?? randomUUID() });
  const signature = signWebhook(body, demoWebhook.secret);
  if (curl) {
    console.log(
      `curl -i -X POST ${base}/v1/calls/events -H 'content-type: application/json' -H 'X-Thankstar-Key: ${demoWebhook.keyId}' -H 'X-Thankstar-Signature: ${signature}' --data '${body}'`,
    );
  } else {
    const res = await fetch(`${base}/v1/calls/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-thankstar-key': demoWebhook.keyId,
        'x-thankstar-signature': signature,
      },
      body,
    });
    console.log(res.status, await res.text());
  }
}
