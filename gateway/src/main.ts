import { rootLogger, startTracing } from '@thankstar/platform';
import { gatewayOptionsFromEnv } from './config';
import { defaultLimits, startGateway } from './server';

async function main(): Promise<void> {
  // Settings first: a typo in a limit stops the gateway here, naming the variable.
  const options = gatewayOptionsFromEnv(process.env, defaultLimits);
  const tracing = startTracing('gateway');
  const gateway = await startGateway(options);
  rootLogger().info(`gateway ${gateway.instanceId} listening on ${gateway.url}`);
  const shutdown = () => {
    gateway.close().then(
      () => tracing.shutdown().then(() => process.exit(0)),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  rootLogger().fatal({ err }, 'gateway failed to start');
  process.exit(1);
});
