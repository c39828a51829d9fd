import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@thankstar/platform';
import { WebhookKeysService, type WebhookKeyView } from './webhook-keys.service';

const toGraphQL = (key: WebhookKeyView) => ({
  keyId: key.keyId,
  label: key.label,
  createdAt: key.createdAt.toISOString(),
  revokedAt: key.revokedAt?.toISOString() ?? null,
  secrets: key.secrets.map((s) => ({
    prefix: s.prefix,
    createdAt: s.createdAt.toISOString(),
    expiresAt: s.expiresAt?.toISOString() ?? null,
  })),
});

@Resolver('WebhookKey')
export class WebhookKeysResolver {
  constructor(private readonly keys: WebhookKeysService) {}

  @Query('webhookKeys')
  async webhookKeys(@CurrentPrincipal() principal: Principal) {
    return (await this.keys.list(principal.tenantId)).map(toGraphQL);
  }

  @Mutation('createWebhookKey')
  async createWebhookKey(@CurrentPrincipal() principal: Principal, @Args('label') label: string | null) {
    const { key, secret } = await this.keys.create(principal.tenantId, label?.trim() || null);
    return { key: toGraphQL(key), secret };
  }

  @Mutation('rotateWebhookKey')
  async rotateWebhookKey(
    @CurrentPrincipal() principal: Principal,
    @Args('keyId') keyId: string,
    @Args('graceHours') graceHours: number,
  ) {
    const { key, secret } = await this.keys.rotate(principal.tenantId, keyId, graceHours);
    return { key: toGraphQL(key), secret };
  }

  @Mutation('revokeWebhookKey')
  async revokeWebhookKey(@CurrentPrincipal() principal: Principal, @Args('keyId') keyId: string) {
    return toGraphQL(await this.keys.revoke(principal.tenantId, keyId));
  }
}
