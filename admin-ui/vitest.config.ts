import { defineConfig } from 'vitest/config';
import { contractsFromSource } from './vite.config';

// The UI's pure rules (formatting, refusal parsing, backoff). The root config leaves admin-ui out.
export default defineConfig({
  resolve: { alias: contractsFromSource },
  test: { name: 'admin-ui', root: import.meta.dirname, include: ['src/**/*.test.ts'], environment: 'node' },
});
