import { defineConfig } from 'vitest/config';

// The UI's pure rules (formatting, refusal parsing, backoff). The root config leaves admin-ui out.
export default defineConfig({
  test: { name: 'admin-ui', root: import.meta.dirname, include: ['src/**/*.test.ts'], environment: 'node' },
});
