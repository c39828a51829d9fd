import { Body, Controller, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import { addToLogContext, DomainError, Public } from '@thankstar/platform';
import { CallsService } from '../calls/calls.service';
import { WebhookKeysService } from '../keys/webhook-keys.service';
import { type BodyProblem, parseCallEventBody } from './call-event-body';
import { TenantRateLimiter } from './tenant-rate-limiter';
import type { WebhookKey } from './webhook-key-gate';
import { checkWebhookSignature } from './webhook-signature';

/** A refused call event body: its code from the rule, the words from the catalogue, the issues beside. */
function callEventRefusal(problem: BodyProblem): DomainError {
  const details = { issues: problem.issues };
  if (problem.code === 'INVALID_NUMBER')
    return new DomainError(
      'INVALID_NUMBER',
      { number: { ja: '着信イベントの番号', en: 'A number in the call event' } },
      details,
    );
  if (problem.code === 'OCCURRED_AT_OUT_OF_RANGE')
    return new DomainError(
      'OCCURRED_AT_OUT_OF_RANGE',
      { reason: { ja: problem.message, en: 'occurredAt is outside the accepted range: see details.issues.' } },
      details,
    );
  return new DomainError(
    'INVALID_BODY',
    { reason: { ja: 'details.issues を見てください。', en: 'see details.issues.' } },
    details,
  );
}

/** What this controller reads from Express's request (`rawBody` is kept by `bootstrapService({rawBody: true})`). */
interface SignedRequest {
  rawBody?: Buffer;
  /** The key the gate found before the body was parsed (webhook-key-gate.ts). */
  webhookKey?: WebhookKey;
  is(type: string): string | false | null;
}

/** The signed JSON webhook. Public to the JWT guard: it authenticates by the tenant's signing key. */
@Public()
@Controller('v1/calls')
export class WebhookController {
  constructor(
    private readonly keys: WebhookKeysService,
    private readonly calls: CallsService,
    private readonly rateLimiter: TenantRateLimiter,
  ) {}

  @Post('events')
  @HttpCode(202)
  async receive(
    @Req() req: SignedRequest,
    @Headers('x-thankstar-key') keyId: string | undefined,
    @Headers('x-thankstar-signature') signature: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: { setHeader(name: string, value: string): unknown },
  ): Promise<{ callId: string }> {
    const receivedAt = new Date();
    // Normally the gate has found the key before the body was parsed; the lookup here only
    // serves an app where the gate is not installed.
    const key = req.webhookKey ?? (keyId ? await this.keys.activeSecrets(keyId) : null);
    if (!key) throw new DomainError('UNKNOWN_KEY');
    if (!req.is('application/json') || !req.rawBody) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', { mediaType: 'application/json' });
    }
    const check = checkWebhookSignature({
      header: signature,
      rawBody: req.rawBody,
      secrets: key.secrets,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    if (check === 'SIGNATURE_EXPIRED') {
      throw new DomainError('SIGNATURE_EXPIRED');
    }
    if (check !== 'VALID') {
      throw new DomainError('INVALID_SIGNATURE', {
        reason: {
          ja: 'X-Thankstar-Signature がないか、本文と一致しません（t=<UNIX 秒>,v1=<"<t>.<本文>" の HMAC-SHA256 の16進>）。',
          en: 'X-Thankstar-Signature is missing or does not match the body (t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">).',
        },
      });
    }
    // Authenticated by the tenant's key: the request's log lines name the tenant from here on.
    addToLogContext({ tenantId: key.tenantId });
    this.rateLimiter.take(key.tenantId, res);
    const parsed = parseCallEventBody(body, receivedAt);
    if (!parsed.ok) throw callEventRefusal(parsed.problem);
    await this.calls.record(key.tenantId, 'webhook', parsed.event);
    return { callId: parsed.event.callId };
  }
}
