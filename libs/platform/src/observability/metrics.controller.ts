import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Public } from '../auth/auth.guard';
import { SERVICE_NAME } from '../nest/tokens';
import { initMetrics, metricsRegistry } from './metrics';

/**
 * GET /metrics in the Prometheus text format. Public like /health: it carries counts and
 * latencies only (no tenant ids, no payloads); keep the port off the public ingress.
 */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(SERVICE_NAME) service: string) {
    initMetrics(service);
  }

  @Public()
  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  @Header('Cache-Control', 'no-store')
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
