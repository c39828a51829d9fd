import 'reflect-metadata';
import { runMigrations } from '@thankstar/platform';
import { database } from './database';

runMigrations(database).then(
  (done) => console.log(`customers: ${done.length} migration(s) applied${done.length ? `: ${done.join(', ')}` : ''}`),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
