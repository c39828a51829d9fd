import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { isUuid } from '@thankstar/contracts';
import { CurrentPrincipal, notFound, type Principal } from '@thankstar/platform';
import type { DeliveryStatus, WebhookDelivery } from './webhooks.repository';
import { type EndpointInput, WebhooksService } from './webhooks.service';

const statuses: readonly string[] = ['PENDING', 'DELIVERED', 'FAILED'];

/** Tenant admins' outbound webhooks; the tenant is the token's (authorization-matrix.ts). */
@Resolver('WebhookEndpoint')
export class WebhookEndpointsResolver {
  constructor(private readonly webhooks: WebhooksService) {}

  @Query('webhookEventTypes')
  eventTypes() {
    return this.webhooks.eventTypes();
  }

  @Query('webhookEndpoints')
  endpoints(@CurrentPrincipal() principal: Principal) {
    return this.webhooks.endpoints(principal.tenantId);
  }

  @Mutation('createWebhookEndpoint')
  create(@CurrentPrincipal() principal: Principal, @Args('input') input: EndpointInput) {
    return this.webhooks.create(principal, input);
  }

  @Mutation('updateWebhookEndpoint')
  update(@CurrentPrincipal() principal: Principal, @Args('id') id: string, @Args('input') input: EndpointInput) {
    if (!isUuid(id)) throw notFound('webhookEndpoint');
    return this.webhooks.update(principal, id, input);
  }

  @Mutation('deleteWebhookEndpoint')
  remove(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    if (!isUuid(id)) throw notFound('webhookEndpoint');
    return this.webhooks.remove(principal, id);
  }

  @Mutation('sendTestWebhook')
  sendTest(@CurrentPrincipal() principal: Principal, @Args('endpointId') endpointId: string) {
    if (!isUuid(endpointId)) throw notFound('webhookEndpoint');
    return this.webhooks.sendTest(principal, endpointId);
  }
}

@Resolver('WebhookDelivery')
export class WebhookDeliveriesResolver {
  constructor(private readonly webhooks: WebhooksService) {}

  @Query('webhookDeliveries')
  deliveries(
    @CurrentPrincipal() principal: Principal,
    @Args('endpointId') endpointId: string | null,
    @Args('status') status: string | null,
    @Args('limit') limit: number | null,
  ) {
    if (endpointId && !isUuid(endpointId)) return [];
    const known = status && statuses.includes(status) ? (status as DeliveryStatus) : null;
    if (status && !known) return [];
    return this.webhooks.deliveries(principal.tenantId, { endpointId, status: known, limit });
  }

  @Mutation('replayWebhookDelivery')
  replay(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    if (!isUuid(id)) throw notFound('webhookDelivery');
    return this.webhooks.replay(principal, id);
  }

  @ResolveField('attemptLog')
  attemptLog(@Parent() d: WebhookDelivery) {
    return this.webhooks.attempts(d.tenantId, d.id);
  }
}
