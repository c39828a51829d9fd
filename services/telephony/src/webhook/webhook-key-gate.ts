import type { INestApplication } from '@nestjs/common';
import { errorCatalogue } from '@thankstar/contracts';
import { WebhookKeysService } from '../keys/webhook-keys.service';

/** The webhook's path; the gate runs only there. */
export const WEBHOOK_PATH = '/v1/calls/events';

export type WebhookKey = { tenantId: string; secrets: string[] };

interface GateRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  webhookKey?: WebhookKey;
}
interface GateResponse {
  status(code: number): GateResponse;
  json(body: unknown): unknown;
}

export const UNKNOWN_KEY_MESSAGE = errorCatalogue.UNKNOWN_KEY.ja;

/**
 * Checks the X-Thankstar-Key header before the body is read or parsed: a request naming no
 * active key is refused with 401 UNKNOWN_KEY having cost a header read and (at most once per
 * key id and 30 s, see WebhookKeysService) a database lookup, not a 256 KB JSON parse. The key
 * found is handed to the controller on the request, which verifies the signature over the raw
 * body once it has been read.
 *
 * Runs as Express middleware registered before the body parsers (bootstrapService's
 * beforeBodyParsers), because Nest's own middleware runs after them.
 */
export function webhookKeyGate(keys: WebhookKeysService) {
  return (req: GateRequest, res: GateResponse, next: () => void): void => {
    if (req.method !== 'POST') {
      next();
      return;
    }
    const header = req.headers['x-thankstar-key'];
    const keyId = typeof header === 'string' ? header : undefined;
    (keyId ? keys.activeSecrets(keyId) : Promise.resolve(null)).then(
      (key) => {
        if (!key) {
          res
            .status(401)
            .json({ code: 'UNKNOWN_KEY', message: UNKNOWN_KEY_MESSAGE, messageEn: errorCatalogue.UNKNOWN_KEY.en });
          return;
        }
        req.webhookKey = key;
        next();
      },
      // The database cannot be read: a retryable outage (503, which PBXs retry), not bad input.
      () => {
        res.status(503).json({
          code: 'SERVICE_UNAVAILABLE',
          message: '署名キーを確認できませんでした。しばらくしてから再送してください。',
          messageEn: 'The signing key could not be checked; retry shortly.',
        });
      },
    );
  };
}

/** Installs the gate on the app; main.ts and the tests' harness both call this before the body parsers. */
export function installWebhookKeyGate(app: INestApplication): void {
  app.use(WEBHOOK_PATH, webhookKeyGate(app.get(WebhookKeysService)));
}
