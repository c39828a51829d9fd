import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, notFound, type Principal, parseAllowedCidrs } from '@thankstar/platform';
import type { DataSource } from 'typeorm';
import { CONFIG, type CustomersConfig } from '../config';
import { checkDestination, parseWebhookUrl } from './destination';
import { newWebhookSecret } from './signature';
import { isWebhookEventType, TEST_EVENT_TYPE, webhookBody, webhookEventTypes } from './webhook-events';
import { WEBHOOK_WAKE, type WebhookWake } from './webhook-events.recorder';
import { webhookSecrets } from './webhook-secrets';
import { type DeliveryStatus, WebhooksRepository } from './webhooks.repository';

export interface EndpointInput {
  url?: string | null;
  description?: string | null;
  eventTypes?: string[] | null;
  enabled?: boolean | null;
}

const MAX_DESCRIPTION = 200;

/** A tenant admin's endpoints and their delivery log (the tenant always from the token). */
@Injectable()
export class WebhooksService {
  private readonly allowed;

  constructor(
    private readonly repository: WebhooksRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: CustomersConfig,
    @Inject(WEBHOOK_WAKE) private readonly worker: WebhookWake,
  ) {
    this.allowed = parseAllowedCidrs(config.WEBHOOK_ALLOWED_CIDRS, 'WEBHOOK_ALLOWED_CIDRS');
  }

  eventTypes(): readonly string[] {
    return webhookEventTypes;
  }

  endpoints(tenantId: string) {
    return this.repository.listEndpoints(this.dataSource.manager, tenantId);
  }

  /** The secret is returned here once; only its sealed form is kept. */
  async create(principal: Principal, input: EndpointInput) {
    const url = await this.checkedUrl(input.url ?? '');
    const eventTypes = this.checkedTypes(input.eventTypes ?? []);
    const description = this.checkedDescription(input.description ?? '');
    const secret = newWebhookSecret();
    const endpoint = await this.dataSource.transaction(async (m) => {
      if ((await this.repository.countEndpoints(m, principal.tenantId)) >= this.config.WEBHOOK_MAX_ENDPOINTS)
        throw new DomainError('WEBHOOK_ENDPOINT_LIMIT', { max: this.config.WEBHOOK_MAX_ENDPOINTS });
      return this.repository.insertEndpoint(m, principal.tenantId, {
        url,
        description,
        eventTypes,
        secretSealed: webhookSecrets.seal(secret),
      });
    });
    return { endpoint, secret };
  }

  async update(principal: Principal, id: string, input: EndpointInput) {
    const url = input.url == null ? null : await this.checkedUrl(input.url);
    const eventTypes = input.eventTypes == null ? null : this.checkedTypes(input.eventTypes);
    const description = input.description == null ? null : this.checkedDescription(input.description);
    const updated = await this.repository.updateEndpoint(this.dataSource.manager, principal.tenantId, id, {
      url,
      description,
      eventTypes,
      enabled: input.enabled ?? null,
    });
    if (!updated) throw notFound('webhookEndpoint');
    if (updated.enabled) this.worker.wake();
    return updated;
  }

  async remove(principal: Principal, id: string): Promise<boolean> {
    if (!(await this.repository.deleteEndpoint(this.dataSource.manager, principal.tenantId, id)))
      throw notFound('webhookEndpoint');
    return true;
  }

  /** "Send a test event": one `webhook.test` delivery to this endpoint, whatever it subscribes to. */
  async sendTest(principal: Principal, endpointId: string) {
    const endpoint = await this.repository.endpointById(this.dataSource.manager, principal.tenantId, endpointId);
    if (!endpoint) throw notFound('webhookEndpoint');
    const occurredAt = new Date().toISOString();
    const delivery = await this.repository.insertDelivery(this.dataSource.manager, principal.tenantId, {
      endpointId,
      eventId: randomUUID(),
      eventType: TEST_EVENT_TYPE,
      body: webhookBody({
        type: TEST_EVENT_TYPE,
        occurredAt,
        data: { message: 'Thankstar からのテスト送信です。', endpointId, sentBy: principal.userId },
      }),
      replayOf: null,
    });
    this.worker.wake();
    return delivery;
  }

  /** Sends a delivery's body again (same `webhook-id`, so a receiver that saw it can tell) as a new delivery. */
  async replay(principal: Principal, deliveryId: string) {
    const m = this.dataSource.manager;
    const original = await this.repository.deliveryForReplay(m, principal.tenantId, deliveryId);
    if (!original) throw notFound('webhookDelivery');
    const delivery = await this.repository.insertDelivery(m, principal.tenantId, { ...original, replayOf: deliveryId });
    this.worker.wake();
    return delivery;
  }

  deliveries(
    tenantId: string,
    filter: { endpointId?: string | null; status?: DeliveryStatus | null; limit?: number | null },
  ) {
    return this.repository.listDeliveries(this.dataSource.manager, tenantId, {
      endpointId: filter.endpointId ?? null,
      status: filter.status ?? null,
      limit: Math.min(Math.max(filter.limit ?? 50, 1), 500),
    });
  }

  delivery(tenantId: string, id: string) {
    return this.repository.deliveryById(this.dataSource.manager, tenantId, id);
  }

  attempts(tenantId: string, deliveryId: string) {
    return this.repository.attemptsOf(this.dataSource.manager, tenantId, deliveryId);
  }

  private async checkedUrl(text: string): Promise<string> {
    const url = parseWebhookUrl(text);
    await checkDestination(url, this.allowed);
    return url.toString();
  }

  private checkedTypes(types: readonly string[]): string[] {
    const unknown = types.filter((t) => !isWebhookEventType(t));
    if (types.length === 0 || unknown.length > 0)
      throw new DomainError('WEBHOOK_EVENT_TYPES_INVALID', { unknown: unknown.join(', ') || '—' });
    return [...new Set(types)];
  }

  private checkedDescription(text: string): string {
    const trimmed = text.trim();
    if ([...trimmed].length > MAX_DESCRIPTION)
      throw new DomainError('BAD_USER_INPUT', {
        reason: { ja: '説明は200文字までです。', en: 'The description is at most 200 characters.' },
      });
    return trimmed;
  }
}
