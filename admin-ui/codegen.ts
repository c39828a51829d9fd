import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed operations: every `/* GraphQL */` document under src/ gets its result and variables types.
const config: CodegenConfig = {
  schema: 'src/graphql/schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/graphql/types.ts'],
  generates: {
    'src/graphql/types.ts': {
      // typescript-operations 6 emits the enums and inputs an operation uses; the `typescript` plugin is not needed.
      plugins: ['typescript-operations'],
      config: {
        enumsAsTypes: true,
        avoidOptionals: false,
        skipTypename: true,
        scalars: { ID: 'string' },
      },
    },
  },
};
export default config;
