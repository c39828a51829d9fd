import { Body, Controller, Header, Headers, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { DomainError, Public } from '@thankstar/platform';
import { CallsService } from '../calls/calls.service';
import { CONFIG, type TelephonyConfig } from '../config';
import { TenantRateLimiter } from '../webhook/tenant-rate-limiter';
import { TwilioAccountsService } from './twilio-accounts.service';
import { callEventOfTwilio } from './twilio-call';
import { isValidTwilioSignature, type TwilioParams } from './twilio-signature';

interface TwilioRequest {
  protocol: string;
  originalUrl: string;
  get(name: string): string | undefined;
}

/**
 * The URL Twilio signed. Behind a proxy the request's own host is not the public one, so
 * TWILIO_PUBLIC_URL (e.g. https://telephony.example.jp) replaces the scheme and host.
 */
function signedUrl(req: TwilioRequest, publicUrl: string | undefined): string {
  const base = publicUrl?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host') ?? ''}`;
  return `${base}${req.originalUrl}`;
}

/**
 * Twilio's voice and status webhook. It records the call and answers with empty TwiML, which
 * adds nothing to the caller's call flow.
 */
@Public()
@Controller('v1/twilio')
export class TwilioController {
  constructor(
    private readonly accounts: TwilioAccountsService,
    private readonly calls: CallsService,
    private readonly rateLimiter: TenantRateLimiter,
    @Inject(CONFIG) private readonly config: TelephonyConfig,
  ) {}

  @Post('voice')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  async voice(
    @Req() req: TwilioRequest,
    @Headers('x-twilio-signature') signature: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: { setHeader(name: string, value: string): unknown },
  ): Promise<string> {
    const params: TwilioParams = body && typeof body === 'object' && !Array.isArray(body) ? (body as TwilioParams) : {};
    const accountSid = typeof params.AccountSid === 'string' ? params.AccountSid : '';
    const url = signedUrl(req, this.config.TWILIO_PUBLIC_URL);
    const account = accountSid
      ? await this.accounts.authenticate(accountSid, (token) => isValidTwilioSignature(token, url, params, signature))
      : 'UNKNOWN_ACCOUNT';
    if (account === 'UNKNOWN_ACCOUNT') throw new DomainError('UNKNOWN_ACCOUNT');
    if (account === 'INVALID_SIGNATURE') {
      throw new DomainError('INVALID_SIGNATURE', {
        reason: {
          ja: 'X-Twilio-Signature がこの URL とパラメーターに一致しません。',
          en: 'X-Twilio-Signature does not match this URL and these parameters.',
        },
      });
    }
    this.rateLimiter.take(account.tenantId, res);
    const parsed = callEventOfTwilio(params, new Date());
    if (!parsed.ok) throw new DomainError('INVALID_BODY', { reason: parsed.message });
    await this.calls.record(account.tenantId, 'twilio', parsed.event);
    return '<?xml version="1.0" encoding="UTF-8"?><Response/>';
  }
}
