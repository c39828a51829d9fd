import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { PlanEntity, PlanVersionEntity } from './plan.entity';

/**
 * The statements of the plans tables that are not plain entity reads (the entity reads below go
 * through TypeORM's repository API; their SQL is TypeORM's).
 */
export const plansSql: Record<string, string> = {
  versionOn: `
    SELECT id FROM plan_versions
     WHERE plan_id = $1 AND effective_from <= $2
     ORDER BY effective_from DESC LIMIT 1`,
};

/** Plans and their versions (global: plans belong to no tenant). */
@Injectable()
export class PlansRepository {
  list(m: EntityManager): Promise<PlanEntity[]> {
    return m.getRepository(PlanEntity).find({ order: { code: 'ASC' } });
  }

  planById(m: EntityManager, id: string): Promise<PlanEntity | null> {
    return m.getRepository(PlanEntity).findOneBy({ id });
  }

  planByCode(m: EntityManager, code: string): Promise<PlanEntity | null> {
    return m.getRepository(PlanEntity).findOneBy({ code });
  }

  lockPlan(m: EntityManager, id: string): Promise<PlanEntity | null> {
    return m.getRepository(PlanEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  codeExists(m: EntityManager, code: string): Promise<boolean> {
    return m.getRepository(PlanEntity).existsBy({ code });
  }

  insertPlan(m: EntityManager, code: string, name: string): Promise<PlanEntity> {
    return m.getRepository(PlanEntity).save(m.create(PlanEntity, { code, name }));
  }

  versionsOfPlan(m: EntityManager, planId: string): Promise<PlanVersionEntity[]> {
    return m.getRepository(PlanVersionEntity).find({ where: { planId }, order: { version: 'ASC' } });
  }

  versionsByIds(m: EntityManager, ids: readonly string[]): Promise<PlanVersionEntity[]> {
    return m.getRepository(PlanVersionEntity).findBy({ id: In([...ids]) });
  }

  latestVersion(m: EntityManager, planId: string): Promise<PlanVersionEntity | null> {
    return m.getRepository(PlanVersionEntity).findOne({ where: { planId }, order: { version: 'DESC' } });
  }

  insertVersion(m: EntityManager, fields: Partial<PlanVersionEntity>): Promise<PlanVersionEntity> {
    return m.getRepository(PlanVersionEntity).save(m.create(PlanVersionEntity, fields));
  }

  /** The version of a plan in effect on a date (the latest one effective on or before it). */
  async versionOn(m: EntityManager, planId: string, date: string): Promise<PlanVersionEntity | null> {
    const [row]: { id: string }[] = await m.query(plansSql.versionOn as string, [planId, date]);
    return row ? m.getRepository(PlanVersionEntity).findOneBy({ id: row.id }) : null;
  }
}
