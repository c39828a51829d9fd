import 'reflect-metadata';
import { bootstrapService, startTracing } from '@thankstar/platform';
import { AppModule } from './app.module';
import { loadCustomersConfig } from './config';

startTracing('customers');
void bootstrapService(AppModule, { service: 'customers', port: loadCustomersConfig().PORT });
