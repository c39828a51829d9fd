import 'reflect-metadata';
import { bootstrapService, startTracing } from '@thankstar/platform';
import { AppModule } from './app.module';
import { loadLicensingConfig } from './config';

startTracing('licensing');
void bootstrapService(AppModule, { service: 'licensing', port: loadLicensingConfig().PORT });
