import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { NOTICES_TOPIC } from '@thankstar/contracts';
import { enqueueEvent, parseAllowedCidrs } from '@thankstar/platform';
import type { DataSource } from 'typeorm';
import { CONFIG, type CustomersConfig } from '../config';
import { afterFailure, delivered } from './retry-schedule';
import { postWebhook } from './sender';
import { signedHeaders } from './signature';
import type { WebhookWake } from './webhook-events.recorder';
import { webhookSecrets } from './webhook-secrets';
import { type ClaimedDelivery, WebhooksRepository } from './webhooks.repository';

/**
 * Sends due deliveries (docs/integrations.md "Outbound webhooks"). Each round claims what it may
 * in one statement (due, the call's earlier events done, at most WEBHOOK_CONCURRENCY_PER_ENDPOINT
 * in flight per endpoint across replicas, WEBHOOK_CONCURRENCY per replica), sends each with no
 * database connection held, then writes the attempt, the delivery's new state and the endpoint's
 * failure count in one short transaction. A failure is retried with exponential backoff until the
 * first attempt is WEBHOOK_RETRY_FOR_MS old (24 h), then given up; WEBHOOK_DISABLE_AFTER given-up
 * deliveries in a row disable the endpoint (state FAILING, shown in the admin UI, a warning in
 * the log naming the tenant and endpoint, and a customers.notices.v1 event in the same
 * transaction, from which licensing mails the tenant's admins: docs/integrations.md "Outbound
 * webhooks", disabled after repeated failure with a notice to the tenant's admins).
 */
@Injectable()
export class WebhookDeliveryWorker implements WebhookWake, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private readonly allowed;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopping = false;
  private again = false;

  constructor(
    private readonly repository: WebhooksRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: CustomersConfig,
  ) {
    this.allowed = parseAllowedCidrs(config.WEBHOOK_ALLOWED_CIDRS, 'WEBHOOK_ALLOWED_CIDRS');
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  wake(): void {
    if (this.stopping) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), ms);
    this.timer.unref?.();
  }

  private async round(): Promise<void> {
    if (this.stopping || this.running) return;
    this.running = true;
    this.again = false;
    try {
      const free = this.config.WEBHOOK_CONCURRENCY - this.inFlight.size;
      if (free > 0) {
        const claimed = await this.repository.claimDue(this.dataSource.manager, {
          max: free,
          leaseSeconds: Math.ceil(this.config.WEBHOOK_TIMEOUT_MS / 1000) + 60,
          perEndpoint: this.config.WEBHOOK_CONCURRENCY_PER_ENDPOINT,
        });
        for (const d of claimed) {
          const job: Promise<void> = this.attempt(d)
            .catch((error) => this.logger.warn(`webhook delivery ${d.id} not recorded: ${String(error)}`))
            .finally(() => {
              this.inFlight.delete(job);
              this.wake();
            });
          this.inFlight.add(job);
        }
        if (claimed.length === free) this.again = true;
      }
    } catch (error) {
      this.logger.warn(`webhook claim failed: ${String(error)}`);
    } finally {
      this.running = false;
      if (!this.stopping) this.schedule(this.again ? 0 : this.config.WEBHOOK_POLL_MS);
    }
  }

  private async attempt(d: ClaimedDelivery): Promise<void> {
    const at = new Date();
    let result: Awaited<ReturnType<typeof postWebhook>>;
    try {
      const secret = webhookSecrets.open(d.secretSealed);
      result = await postWebhook(d.url, d.body, signedHeaders(secret, d.eventId, d.body, at), {
        timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
        allowed: this.allowed,
      });
    } catch (error) {
      result = { status: null, latencyMs: 0, excerpt: null, error: String(error).slice(0, 500) };
    }
    const ok = delivered(result.status);
    const now = new Date();
    const next = ok
      ? null
      : afterFailure(
          {
            baseMs: this.config.WEBHOOK_RETRY_BASE_MS,
            maxMs: this.config.WEBHOOK_RETRY_MAX_MS,
            retryForMs: this.config.WEBHOOK_RETRY_FOR_MS,
          },
          d.attempts,
          d.firstAttemptAt,
          now,
        );
    const error = ok ? null : (result.error ?? `HTTP ${result.status}`);
    await this.dataSource.transaction(async (m) => {
      await this.repository.finishAttempt(m, d, {
        status: ok ? 'DELIVERED' : next?.giveUp ? 'FAILED' : 'PENDING',
        at,
        nextAttemptAt: next && !next.giveUp ? next.nextAttemptAt : null,
        responseStatus: result.status,
        latencyMs: result.latencyMs,
        excerpt: result.excerpt,
        error,
      });
      if (ok) await this.repository.endpointSucceeded(m, d.endpointId);
      else if (next?.giveUp) {
        const endpoint = await this.repository.endpointGaveUp(m, d.endpointId, this.config.WEBHOOK_DISABLE_AFTER);
        if (endpoint?.disabledNow) {
          const host = new URL(endpoint.url).host;
          this.logger.warn(
            `webhook endpoint disabled after ${this.config.WEBHOOK_DISABLE_AFTER} deliveries given up in a row: tenant ${endpoint.tenantId}, endpoint ${d.endpointId} (${host}); the tenant's admins see it as 停止中（失敗が続いたため） and are mailed`,
          );
          // The host only: the URL's path and query may carry the receiver's own token.
          await enqueueEvent(m, {
            topic: NOTICES_TOPIC,
            key: endpoint.tenantId,
            tenantId: endpoint.tenantId,
            payload: {
              kind: 'WEBHOOK_ENDPOINT_DISABLED',
              endpointId: d.endpointId,
              endpointHost: host,
              failures: this.config.WEBHOOK_DISABLE_AFTER,
              lastError: error,
              disabledAt: now.toISOString(),
            },
          });
        }
      }
    });
  }
}
