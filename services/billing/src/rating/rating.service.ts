import { Injectable } from '@nestjs/common';
import type { Popup, SessionEvent } from '@thankstar/contracts';
import type { EntityManager } from 'typeorm';
import { classifyMoment, defaultCalendar } from '../calendar/business-calendar';
import { CalendarService } from '../calendar/calendar.service';
import type { ContractEntity } from '../contracts/contract.entity';
import { ContractsService, coveringContract, planVersionOn } from '../contracts/contracts.service';
import { MonthLocks } from '../invoicing/month-locks';
import { PlansService } from '../plans/plans.service';
import { rateCall } from './rate';
import { type RatedCallRow, RatingRepository } from './rating.repository';

@Injectable()
export class RatingService {
  constructor(
    private readonly contracts: ContractsService,
    private readonly plans: PlansService,
    private readonly calendars: CalendarService,
    private readonly monthLocks: MonthLocks,
    private readonly ratingRepository: RatingRepository,
  ) {}

  /** Rates one popup's call once, in the caller's transaction (a batch of one). */
  async ratePopup(popup: Popup, m: EntityManager): Promise<void> {
    await this.ratePopups([popup], m);
  }

  /**
   * Rates a batch of popups in the caller's transaction: the tenants' calendars, contracts and
   * presence are read in one query each, the plan versions come from the cache, and the rated
   * calls are written in one statement. Each call is rated once: a call already rated (or rated
   * earlier in the same batch) is left as it is. Presence is what billing knew when the batch
   * arrived (licensing's session events come on their own topic). Each call is billed in its
   * own local month unless that month's invoice is issued, then in the first later month not
   * invoiced, decided under the months' shared close locks (docs/decisions/0007-late-data.md).
   * Returns the calls stored.
   */
  async ratePopups(popups: readonly Popup[], m: EntityManager): Promise<number> {
    if (popups.length === 0) return 0;
    const tenantIds = [...new Set(popups.map((p) => p.tenantId))];
    const calendars = await this.calendars.forTenants(tenantIds, m);
    const contracts = await this.contracts.allOf(m, tenantIds);
    const covering = popups.map((popup) => {
      const moment = classifyMoment(
        calendars.get(popup.tenantId.toLowerCase()) ?? defaultCalendar,
        new Date(popup.payload.rangAt),
      );
      return {
        popup,
        moment,
        contract: coveringContract(contracts.get(popup.tenantId.toLowerCase()) ?? [], moment.local.date),
      };
    });
    const inForce = covering.filter((c) => c.contract !== null).map((c) => c.contract as ContractEntity);
    const changes = await this.contracts.planChanges(
      m,
      inForce.map((c) => c.id),
    );
    const versionIdOf = (contract: ContractEntity, date: string) =>
      planVersionOn(contract, changes.get(contract.id) ?? [], date);
    const versions = await this.plans.versionsById(
      covering.flatMap((c) => (c.contract ? [versionIdOf(c.contract, c.moment.local.date)] : [])),
      m,
    );
    const prepared = covering.map(({ popup, moment, contract }) => {
      const versionId = contract ? versionIdOf(contract, moment.local.date) : undefined;
      const version = versionId ? versions.get(versionId) : undefined;
      if (versionId && !version) throw new Error(`plan version ${versionId} is missing`);
      return { popup, moment, contract, version };
    });
    const attended = await this.ratingRepository.anyoneInAtMany(
      m,
      prepared
        .filter((p) => p.version && p.moment.kind === 'after-hours')
        .map((p) => ({ tenantId: p.popup.tenantId, at: p.popup.payload.rangAt })),
    );
    // Where each call is billed, race-free with the monthly close: a few queries per batch.
    const billedMonths = await this.monthLocks.placeInOpenMonths(
      m,
      prepared.map((p) => ({ tenantId: p.popup.tenantId, month: p.moment.local.date.slice(0, 7) })),
    );
    const rows: RatedCallRow[] = prepared.map(({ popup, moment, contract, version }, i) => {
      const { tenantId, payload } = popup;
      const base = {
        tenantId,
        callId: payload.callId,
        popupId: payload.popupId,
        popupClass: payload.class,
        rangAt: payload.rangAt,
        localDate: moment.local.date,
        dayKind: moment.kind,
        billedMonth: billedMonths[i] as string,
      };
      if (!contract || !version) {
        return {
          ...base,
          popupYen: 0,
          listInputYen: 0,
          exemption: 'NO_CONTRACT',
          planVersionId: null,
          listInputSurchargeYen: 0,
        };
      }
      const listInputSurchargeYen = contract.listInput === 'per-popup' ? version.listInputPerPopupYen : 0;
      const rated = rateCall({
        popupClass: payload.class,
        prices: version.popupPrices,
        listInputSurchargeYen,
        dayKind: moment.kind,
        anyoneIn:
          moment.kind !== 'after-hours' || attended.has(`${tenantId.toLowerCase()}|${Date.parse(payload.rangAt)}`),
      });
      return {
        ...base,
        popupYen: rated.popupYen,
        listInputYen: rated.listInputYen,
        exemption: rated.exemption,
        planVersionId: version.id,
        listInputSurchargeYen,
      };
    });
    return this.ratingRepository.insertRatedCalls(m, rows);
  }

  /**
   * Session events come on their own topic and may be consumed after the popups they concern:
   * the after-hours calls since the lease connected are rated again with the presence known
   * now. Re-rating is a function of the presence rows, so replays and any order give one result.
   * The calls' billed months are locked shared first, so a close either bills the re-rated price or
   * has issued the month (then the call keeps the price it was billed at: decision 0007).
   */
  private async rerateAfterHours(m: EntityManager, tenantId: string, leaseId: string): Promise<void> {
    const months = await this.ratingRepository.afterHoursBilledMonths(m, tenantId, leaseId);
    await this.monthLocks.lock(
      m,
      months.map((month) => ({ tenantId, month })),
      'shared',
    );
    for (const call of await this.ratingRepository.afterHoursCallsDuring(m, tenantId, leaseId)) {
      const rated = rateCall({
        popupClass: call.popupClass,
        prices: call.prices,
        listInputSurchargeYen: call.listInputSurchargeYen,
        dayKind: 'after-hours',
        anyoneIn: await this.ratingRepository.anyoneInAt(m, tenantId, call.rangAt),
      });
      if (
        rated.popupYen !== call.popupYen ||
        rated.listInputYen !== call.listInputYen ||
        rated.exemption !== call.exemption
      ) {
        await this.ratingRepository.updateRating(m, tenantId, call.callId, rated);
      }
    }
  }

  /** Presence intervals (for "nobody was in") and desktop seats (for the software fee). */
  async recordSession(event: SessionEvent, m: EntityManager): Promise<void> {
    const { tenantId, payload: p } = event;
    switch (p.kind) {
      case 'connected':
        await this.ratingRepository.connected(m, tenantId, p.leaseId, p.at);
        return this.rerateAfterHours(m, tenantId, p.leaseId);
      case 'disconnected':
        await this.ratingRepository.disconnected(m, tenantId, p.leaseId, p.at);
        return this.rerateAfterHours(m, tenantId, p.leaseId);
      case 'seat-registered':
        return this.ratingRepository.seatRegistered(m, tenantId, p.seatId, p.deviceId, p.at);
      case 'seat-deregistered':
        return this.ratingRepository.seatDeregistered(m, tenantId, p.seatId, p.deviceId, p.at);
    }
  }
}
