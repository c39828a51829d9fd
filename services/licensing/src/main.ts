import 'reflect-metadata';
import { bootstrapService, startTracing } from '@thankstar/platform';
import { AppModule } from './app.module';

startTracing('licensing');
void bootstrapService(AppModule, { service: 'licensing', port: Number(process.env.PORT ?? 4004) });
