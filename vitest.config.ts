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

const exclude = ['**/node_modules/**', '**/dist/**', 'admin-ui/**'];

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [decorators],
        test: {
          name: 'unit',
          include: ['{libs,services,gateway}/**/src/**/*.test.ts'],
          exclude,
        },
      },
      {
        plugins: [decorators],
        test: {
          name: 'integration',
          include: ['{libs,services,gateway}/**/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude,
          // Real Postgres and Kafka: one file at a time keeps the 2-core machine honest.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
