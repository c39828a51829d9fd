import { DataSource, type DataSourceOptions, type MixedList } from 'typeorm';
import { type PlatformConfig, platformConfig } from '../config/platform-config';

export function databaseUrl(service: string): string {
  const config = platformConfig();
  const envName = `${service.toUpperCase()}_DATABASE_URL`;
  const own = envName in config ? config[envName as keyof PlatformConfig] : undefined;
  return typeof own === 'string'
    ? own
    : `postgres://${config.PGUSER}@${config.PGHOST}:${config.PGPORT}/thankstar_${service}${config.THANKSTAR_DB_SUFFIX}`;
}

export interface ServiceDataSourceOptions {
  service: string;
  // biome-ignore lint/complexity/noBannedTypes: TypeORM's own signature
  entities: MixedList<Function | string>;
  // biome-ignore lint/complexity/noBannedTypes: TypeORM's own signature
  migrations: MixedList<Function | string>;
}

export function dataSourceOptions(options: ServiceDataSourceOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl(options.service),
    entities: options.entities,
    migrations: options.migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: platformConfig().DB_POOL_SIZE },
  };
}

/** Runs a service's migrations; used by the `migrate` scripts and by tests. */
export async function runMigrations(options: ServiceDataSourceOptions): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(options));
  await ds.initialize();
  try {
    const done = await ds.runMigrations();
    return done.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
