import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NOTICES_TOPIC, type NoticeEvent, noticeSchema } from '@thankstar/contracts';
import {
  consumeInBackground,
  consumerGroup,
  idempotent,
  MESSAGE_BUS,
  type MessageBus,
  type Subscription,
} from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentityRepository } from '../identity/identity.repository';
import { Mailer } from '../identity/mailer.service';
import { webhookDisabledMail } from './notice-mails';

/**
 * Mails customers' notices (customers.notices.v1) to the tenant's admins: customers does not
 * know the users, licensing does and already sends mail. Today one kind: an outbound webhook
 * endpoint disabled after repeated failure (docs/integrations.md "Outbound webhooks"). Once per event: the dedup row commits only after every admin's mail was
 * handed to SMTP; a failed send rolls it back and the event is tried again (an admin already
 * mailed may then get it twice, never none).
 */
@Injectable()
export class CustomerNoticesConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CustomerNoticesConsumer.name);
  private subscription: Subscription | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly identity: IdentityRepository,
    private readonly mailer: Mailer,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: licensing serves logins while the broker is unreachable; the platform keeps
    // it subscribed (a failed start or a crash is retried).
    this.subscription = consumeInBackground<NoticeEvent>({
      bus: this.bus,
      groupId: consumerGroup('licensing.customer-notices'),
      topic: NOTICES_TOPIC,
      schema: noticeSchema,
      fromBeginning: true,
      logger: this.logger,
      handle: idempotent(this.dataSource, 'licensing.customer-notices', (event, m) => this.notify(event, m)),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  private async notify(event: NoticeEvent, m: EntityManager): Promise<void> {
    const tenant = await this.identity.tenant(m, event.tenantId);
    if (!tenant) {
      this.logger.warn(`notice ${event.id} for unknown tenant ${event.tenantId}: nobody to mail`);
      return;
    }
    const admins = await this.identity.activeTenantAdmins(m, tenant.id);
    if (admins.length === 0) this.logger.warn(`notice ${event.id}: tenant ${tenant.id} has no active admin to mail`);
    for (const admin of admins)
      await this.mailer.send(
        webhookDisabledMail({
          to: admin.email,
          name: admin.name,
          tenantName: tenant.name,
          notice: event.payload,
          publicUrl: this.mailer.publicUrl,
          timeZone: tenant.timezone,
        }),
      );
  }
}
