import { Inject, Injectable, Logger } from '@nestjs/common';
import { monthBounds, POPUPS_TOPIC } from '@thankstar/contracts';
import { consumerGroup, DomainError, MESSAGE_BUS, type MessageBus } from '@thankstar/platform';
import { type BillingConfig, CONFIG } from '../config';
import { RATING_GROUP } from '../rating/rating.consumer';
import { caughtUp, consumedBefore, pendingBefore, requiredWatermark } from './pipeline-watermark';

/** What the close may use for one tenant: the watermark it verified, or why it must wait. */
export type WatermarkVerdict = { ok: true; watermark: Date } | { ok: false; error: DomainError };

const jaDateTime = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  dateStyle: 'long',
  timeStyle: 'medium',
});

/**
 * The month close waits for the pipeline (docs/product-rules.md, "Month close"): month M of a
 * tenant is closed only once rating has consumed every partition of the popups topic past the
 * end of M in the tenant's zone (plus a grace for the hops before the topic). It asks the broker,
 * outside any database transaction, so no pooled connection waits on it.
 */
@Injectable()
export class PipelineWatermarkService {
  private readonly logger = new Logger(PipelineWatermarkService.name);
  readonly graceMs: number;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CONFIG) config: BillingConfig,
  ) {
    this.graceMs = config.BILLING_CLOSE_GRACE_MS;
  }

  /**
   * A verdict per tenant for closing `month`, each tenant in its own zone. Zones that share the
   * month's end share one question to the broker.
   */
  async verdicts(
    month: string,
    timezones: ReadonlyMap<string, string>,
    now = new Date(),
  ): Promise<Map<string, WatermarkVerdict>> {
    const byRequired = new Map<number, string[]>();
    for (const [tenantId, timezone] of timezones) {
      const required = requiredWatermark(monthBounds(month, timezone).end, this.graceMs).getTime();
      byRequired.set(required, [...(byRequired.get(required) ?? []), tenantId]);
    }
    const out = new Map<string, WatermarkVerdict>();
    for (const [required, tenants] of byRequired) {
      const verdict = await this.verdict(new Date(required), now);
      for (const tenantId of tenants) out.set(tenantId, verdict);
    }
    return out;
  }

  /** `now` is the close's clock (tests close months of a given "now"); the broker answers for its log. */
  private async verdict(required: Date, now: Date): Promise<WatermarkVerdict> {
    if (required.getTime() > now.getTime()) {
      return { ok: false, error: behind(required, 'the month (and its grace) is not over yet', null) };
    }
    let progress: Awaited<ReturnType<MessageBus['progress']>>;
    try {
      progress = await this.bus.progress(consumerGroup(RATING_GROUP), POPUPS_TOPIC, required);
    } catch (err) {
      this.logger.warn(`pipeline watermark unknown: ${err instanceof Error ? err.message : String(err)}`);
      return {
        ok: false,
        error: new DomainError('PIPELINE_UNKNOWN'),
      };
    }
    if (!consumedBefore(progress)) {
      return { ok: false, error: behind(required, 'rating is behind', pendingBefore(progress)) };
    }
    // Caught up to the log's end: everything written until the question was rated.
    return { ok: true, watermark: caughtUp(progress) ? now : required };
  }
}

function behind(required: Date, why: string, pending: bigint | null): DomainError {
  return new DomainError(
    'PIPELINE_BEHIND',
    {
      required: { ja: jaDateTime.format(required), en: required.toISOString() },
      pending:
        pending === null
          ? ''
          : { ja: `（未集計 ${pending.toString()} 件）`, en: ` (${pending.toString()} calls not counted)` },
    },
    { requiredWatermark: required.toISOString(), pending: pending?.toString() ?? null, why },
  );
}
