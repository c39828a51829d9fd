import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { popupClasses } from '@thankstar/contracts';
import { badInput, DomainError, notFound } from '@thankstar/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { checked } from '../access/rule-errors';
import { parseDate } from '../calendar/month';
import type { PlanTerms } from '../invoicing/invoice';
import type { PlanEntity, PlanVersionEntity } from './plan.entity';
import { PlansRepository } from './plans.repository';

export interface PlanVersionFields extends PlanTerms {
  effectiveFrom: string;
}

@Injectable()
export class PlansService {
  /** Plan versions never change once written (a change is a new version), so they are cached by id. */
  private readonly versionCache = new Map<string, PlanVersionEntity>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: PlansRepository,
  ) {}

  list(): Promise<PlanEntity[]> {
    return this.repo.list(this.db.manager);
  }

  async plan(id: string, manager: EntityManager = this.db.manager): Promise<PlanEntity> {
    const plan = await this.repo.planById(manager, id);
    if (!plan) throw notFound('plan');
    return plan;
  }

  versions(planId: string): Promise<PlanVersionEntity[]> {
    return this.repo.versionsOfPlan(this.db.manager, planId);
  }

  async version(id: string, manager: EntityManager = this.db.manager): Promise<PlanVersionEntity> {
    const v = (await this.versionsById([id], manager)).get(id);
    if (!v) throw notFound('planVersion');
    return v;
  }

  /** Plan versions by id, from the cache or in one query; unknown ids are left out. */
  async versionsById(
    ids: readonly string[],
    manager: EntityManager = this.db.manager,
  ): Promise<Map<string, PlanVersionEntity>> {
    const missing = [...new Set(ids)].filter((id) => !this.versionCache.has(id));
    if (missing.length > 0) {
      for (const v of await this.repo.versionsByIds(manager, missing)) {
        this.versionCache.set(v.id, v);
      }
    }
    const out = new Map<string, PlanVersionEntity>();
    for (const id of ids) {
      const v = this.versionCache.get(id);
      if (v) out.set(id, v);
    }
    return out;
  }

  async create(code: string, name: string, first: PlanVersionFields): Promise<PlanEntity> {
    if (!/^[A-Z][A-Z0-9_]{1,31}$/.test(code))
      throw badInput({
        ja: 'プランコードは英大文字・数字・_ の2〜32文字です（先頭は英大文字）。',
        en: 'A plan code is 2–32 capital letters, digits or _.',
      });
    if (!name.trim()) throw badInput({ ja: 'プラン名を入力してください。', en: 'A plan needs a name.' });
    validate(first);
    return this.db.transaction(async (m) => {
      if (await this.repo.codeExists(m, code)) {
        throw new DomainError('PLAN_EXISTS', { code });
      }
      const plan = await this.repo.insertPlan(m, code, name.trim());
      await this.repo.insertVersion(m, { ...first, planId: plan.id, version: 1 });
      return plan;
    });
  }

  async addVersion(planId: string, fields: PlanVersionFields): Promise<PlanVersionEntity> {
    validate(fields);
    return this.db.transaction(async (m) => {
      const plan = await this.repo.lockPlan(m, planId);
      if (!plan) throw notFound('plan');
      const latest = await this.repo.latestVersion(m, planId);
      if (latest && fields.effectiveFrom <= latest.effectiveFrom) {
        throw new DomainError('PLAN_VERSION_NOT_LATER', {
          effectiveFrom: latest.effectiveFrom,
          version: latest.version,
        });
      }
      return this.repo.insertVersion(m, { ...fields, planId, version: (latest?.version ?? 0) + 1 });
    });
  }

  /** The version of a plan in effect on a date (the latest one effective on or before it). */
  async versionOn(
    manager: EntityManager,
    planCode: string,
    date: string,
  ): Promise<{ plan: PlanEntity; version: PlanVersionEntity }> {
    const plan = await this.repo.planByCode(manager, planCode);
    if (!plan) throw notFound('plan');
    const version = await this.repo.versionOn(manager, plan.id, date);
    if (!version) throw new DomainError('NO_PLAN_VERSION', { planCode, date });
    return { plan, version };
  }
}

function validate(f: PlanVersionFields): void {
  checked(() => parseDate(f.effectiveFrom));
  const amounts: Record<string, number> = {
    initialFeeYen: f.initialFeeYen,
    maintenanceYen: f.maintenanceYen,
    softwareFeePerPcYen: f.softwareFeePerPcYen,
    connectionPriceYen: f.connectionPriceYen,
    listInputPerPopupYen: f.listInputPerPopupYen,
    listInputPerRecordYen: f.listInputPerRecordYen,
    minimumTermMonths: f.minimumTermMonths,
    ...Object.fromEntries(popupClasses.map((c) => [`popupPrices.${c}`, f.popupPrices[c]])),
  };
  for (const [field, value] of Object.entries(amounts)) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw badInput({
        ja: `${field} は0以上の整数（円）で指定してください。`,
        en: `${field} must be a whole number of yen, 0 or more.`,
      });
  }
  for (const [field, value] of Object.entries({ packSize: f.packSize, packBillingMonths: f.packBillingMonths })) {
    if (!Number.isSafeInteger(value) || value < 1)
      throw badInput({ ja: `${field} は1以上で指定してください。`, en: `${field} must be 1 or more.` });
  }
}
