import 'reflect-metadata';
import { bootstrapService, startTracing } from '@thankstar/platform';
import { AppModule } from './app.module';

startTracing('customers');
void bootstrapService(AppModule, { service: 'customers', port: Number(process.env.PORT ?? 4002) });
