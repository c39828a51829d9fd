import 'reflect-metadata';
import { dataSourceOptions } from '@thankstar/platform';
import { exitIfDemoSeedRefused } from '@thankstar/platform/testing';
import { DataSource } from 'typeorm';
import { database } from '../database';
import { seedDemo } from './demo';

// Demo data stays demo: refused under NODE_ENV=production, before any connection is made.
exitIfDemoSeedRefused('billing');
const ds = new DataSource(dataSourceOptions(database));
ds.initialize()
  .then(() => ds.transaction((m) => seedDemo(m)))
  .then(() => ds.destroy())
  .then(
    () => console.log('billing: plans and demo tenant seeded'),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
