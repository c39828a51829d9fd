import 'reflect-metadata';
import { bootstrapService, startTracing } from '@thankstar/platform';
import { AppModule } from './app.module';

startTracing('billing');
void bootstrapService(AppModule, { service: 'billing', port: Number(process.env.PORT ?? 4003) });
