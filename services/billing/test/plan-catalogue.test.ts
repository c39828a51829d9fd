import { dataSourceOptions } from '@thankstar/platform';
import { resetDatabase } from '@thankstar/platform/testing';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { database } from '../src/database';
import { cloudPlan, integrationPlan } from '../src/plans/default-plans';
import { PlanEntity, PlanVersionEntity, termsOf } from '../src/plans/plan.entity';

// Production never runs the demo seed (it refuses NODE_ENV=production), so the plan catalogue
// must come from the migrations alone, with the published figures.
let ds: DataSource;
beforeAll(async () => {
  await resetDatabase(database);
  ds = new DataSource(dataSourceOptions(database));
  await ds.initialize();
});
afterAll(async () => {
  await ds?.destroy();
});

it('a database with only its migrations has the Cloud and Integration plans, as published', async () => {
  const plans = await ds.getRepository(PlanEntity).find({ order: { code: 'ASC' } });
  expect(plans.map((p) => [p.code, p.name])).toEqual([
    ['CLOUD', cloudPlan.name],
    ['INTEGRATION', integrationPlan.name],
  ]);
  for (const plan of [cloudPlan, integrationPlan]) {
    const id = plans.find((p) => p.code === plan.code)?.id;
    const versions = await ds.getRepository(PlanVersionEntity).findBy({ planId: id as string });
    expect(versions.map((v) => [v.version, termsOf(v)])).toEqual([[1, plan.terms]]);
  }
});
