import { Injectable } from '@nestjs/common';
import type { Popup, SessionEvent } from '@thankstar/contracts';
import type { EntityManager } from 'typeorm';
import { classifyMoment } from '../calendar/business-calendar';
import { CalendarService } from '../calendar/calendar.service';
import { ContractsService } from '../contracts/contracts.service';
import { PlansService } from '../plans/plans.service';
import { rateCall } from './rate';
import { ratingRepository } from './rating.repository';

@Injectable()
export class RatingService {
  constructor(
    private readonly contracts: ContractsService,
    private readonly plans: PlansService,
    private readonly calendars: CalendarService,
  ) {}

  /**
   * Rates a popup's call once, in the consumer's transaction. Presence is what billing knew
   * when the popup arrived (licensing's session events come on their own topic).
   */
  async ratePopup(popup: Popup, m: EntityManager): Promise<void> {
    const { tenantId, payload } = popup;
    const calendar = await this.calendars.get(tenantId, m);
    const moment = classifyMoment(calendar, new Date(payload.rangAt));
    const contract = await this.contracts.coveringOn(m, tenantId, moment.local.date);
    const base = {
      tenantId,
      callId: payload.callId,
      popupId: payload.popupId,
      popupClass: payload.class,
      rangAt: payload.rangAt,
      localDate: moment.local.date,
    };
    if (!contract) {
      await ratingRepository.insertRatedCall(m, {
        ...base,
        popupYen: 0,
        listInputYen: 0,
        exemption: 'NO_CONTRACT',
        planVersionId: null,
        dayKind: moment.kind,
        listInputSurchargeYen: 0,
      });
      return;
    }
    const version = await this.plans.version(contract.planVersionId, m);
    const anyoneIn =
      moment.kind === 'after-hours' ? await ratingRepository.anyoneInAt(m, tenantId, payload.rangAt) : true;
    const listInputSurchargeYen = contract.listInput === 'per-popup' ? version.listInputPerPopupYen : 0;
    const rated = rateCall({
      popupClass: payload.class,
      prices: version.popupPrices,
      listInputSurchargeYen,
      dayKind: moment.kind,
      anyoneIn,
    });
    await ratingRepository.insertRatedCall(m, {
      ...base,
      popupYen: rated.popupYen,
      listInputYen: rated.listInputYen,
      exemption: rated.exemption,
      planVersionId: version.id,
      dayKind: moment.kind,
      listInputSurchargeYen,
    });
  }

  /**
   * Session events come on their own topic and may be consumed after the popups they concern:
   * the after-hours calls since the lease connected are rated again with the presence known
   * now. Re-rating is a function of the presence rows, so replays and any order give one result.
   */
  private async rerateAfterHours(m: EntityManager, tenantId: string, leaseId: string): Promise<void> {
    for (const call of await ratingRepository.afterHoursCallsDuring(m, tenantId, leaseId)) {
      const rated = rateCall({
        popupClass: call.popupClass,
        prices: call.prices,
        listInputSurchargeYen: call.listInputSurchargeYen,
        dayKind: 'after-hours',
        anyoneIn: await ratingRepository.anyoneInAt(m, tenantId, call.rangAt),
      });
      if (
        rated.popupYen !== call.popupYen ||
        rated.listInputYen !== call.listInputYen ||
        rated.exemption !== call.exemption
      ) {
        await ratingRepository.updateRating(m, tenantId, call.callId, rated);
      }
    }
  }

  /** Presence intervals (for "nobody was in") and desktop seats (for the software fee). */
  async recordSession(event: SessionEvent, m: EntityManager): Promise<void> {
    const { tenantId, payload: p } = event;
    switch (p.kind) {
      case 'connected':
        await ratingRepository.connected(m, tenantId, p.leaseId, p.at);
        return this.rerateAfterHours(m, tenantId, p.leaseId);
      case 'disconnected':
        await ratingRepository.disconnected(m, tenantId, p.leaseId, p.at);
        return this.rerateAfterHours(m, tenantId, p.leaseId);
      case 'seat-registered':
        return ratingRepository.seatRegistered(m, tenantId, p.seatId, p.deviceId, p.at);
      case 'seat-deregistered':
        return ratingRepository.seatDeregistered(m, tenantId, p.seatId, p.deviceId, p.at);
    }
  }
}
