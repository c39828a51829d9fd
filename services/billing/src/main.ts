import 'reflect-metadata';
import { bootstrapService, startTracing } from '@thankstar/platform';
import { AppModule } from './app.module';
import { loadBillingConfig } from './config';

startTracing('billing');
// Read before Nest starts, so a bad variable stops the process with its name (config.ts).
void bootstrapService(AppModule, { service: 'billing', port: loadBillingConfig().PORT });
