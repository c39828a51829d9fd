import 'reflect-metadata';
import { bootstrapService } from '@thankstar/platform';
import { AppModule } from './app.module';

void bootstrapService(AppModule, { service: 'telephony', port: Number(process.env.PORT ?? 4001), rawBody: true });
