import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { serviceWorker } from './src/pwa/serviceWorkerPlugin';

// The browser-safe pieces of libs/contracts the UI uses, from source (no build of the library first):
// each is a file without imports, so zod (the main entry's event schemas) stays out of the bundle.
export const contractsFromSource = {
  '@thankstar/contracts/live-close-codes': fileURLToPath(
    new URL('../libs/contracts/src/live-close-codes.ts', import.meta.url),
  ),
  '@thankstar/contracts/errors': fileURLToPath(new URL('../libs/contracts/src/errors/catalogue.ts', import.meta.url)),
  // The live client (graphql-ws, reconnect, catch-up, close codes): browser-safe, from source too.
  '@thankstar/live-client': fileURLToPath(new URL('../libs/live-client/src/index.ts', import.meta.url)),
};

// In development the gateway runs on :4000; `/graphql` is proxied so the default same-origin
// URL works without CORS. Built bundles take VITE_GATEWAY_URL or the runtime /config.js.
const gateway = process.env.THANKSTAR_GATEWAY_ORIGIN ?? 'http://127.0.0.1:4000';
// Invoice PDFs are served by billing (JWT-authenticated, tenant-scoped), same origin as well.
const billing = process.env.THANKSTAR_BILLING_ORIGIN ?? 'http://127.0.0.1:4003';
// CSV imports stream the file itself to customers (no GraphQL body cap), same origin too.
const customers = process.env.THANKSTAR_CUSTOMERS_ORIGIN ?? 'http://127.0.0.1:4002';
const proxy = {
  '/graphql': { target: gateway, ws: true },
  '/v1/invoices': { target: billing },
  '/v1/customers/import': { target: customers },
};

export default defineConfig({
  plugins: [react(), serviceWorker()],
  resolve: { alias: contractsFromSource },
  // react-admin and MUI make one ~1 MB bundle; splitting it buys nothing for a back-office app.
  build: { chunkSizeWarningLimit: 1500 },
  server: { port: 5173, proxy },
  preview: { port: 5173, proxy },
});
