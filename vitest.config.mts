import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Decorator metadata (NestJS DI, TypeORM entities) needs SWC: esbuild/oxc does not emit it.
const decorators = swc.vite({
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
  },
  module: { type: 'es6' },
});

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));
// Tests run the libraries from source, so no build is needed between an edit and a test.
const alias = {
  // Subpath entries before their package's: an alias also matches the paths under its name.
  '@thankstar/contracts/live-close-codes': src('./libs/contracts/src/live-close-codes.ts'),
  '@thankstar/contracts/errors': src('./libs/contracts/src/errors/catalogue.ts'),
  '@thankstar/contracts': src('./libs/contracts/src/index.ts'),
  '@thankstar/live-client': src('./libs/live-client/src/index.ts'),
  '@thankstar/phone': src('./libs/phone/src/index.ts'),
  // The more specific entry first: an alias also matches the paths under its name.
  '@thankstar/platform/testing': src('./libs/platform/src/testing.ts'),
  '@thankstar/platform': src('./libs/platform/src/index.ts'),
};

const exclude = ['**/node_modules/**', '**/dist/**', 'admin-ui/**'];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        plugins: [decorators],
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['{libs,services,gateway}/**/src/**/*.test.ts'],
          exclude,
        },
      },
      {
        plugins: [decorators],
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['{libs,services,gateway}/**/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude,
          // TEST_DB_SUFFIX lets two people test one service at once on one machine (each its own databases).
          env: {
            THANKSTAR_DB_SUFFIX: `${process.env.TEST_DB_SUFFIX ?? ''}_test`,
            LOG_LEVEL: 'silent',
            MIGRATIONS_RUN: 'false',
          },
          // Real Postgres and Kafka: one file at a time keeps the 2-core machine honest.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
