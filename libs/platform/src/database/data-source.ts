import { DataSource, type DataSourceOptions, type MixedList } from 'typeorm';

export function databaseUrl(service: string): string {
  const envName = `${service.toUpperCase()}_DATABASE_URL`;
  return (
    process.env[envName] ??
    `postgres://${process.env.PGUSER ?? 'postgres'}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? '5432'}/thankstar_${service}${process.env.THANKSTAR_DB_SUFFIX ?? ''}`
  );
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
    extra: { max: Number(process.env.DB_POOL_SIZE ?? 10) },
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
