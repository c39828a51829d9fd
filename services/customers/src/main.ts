import 'reflect-metadata';
import { bootstrapService } from '@thankstar/platform';
import { AppModule } from './app.module';

void bootstrapService(AppModule, { service: 'customers', port: Number(process.env.PORT ?? 4002) });
