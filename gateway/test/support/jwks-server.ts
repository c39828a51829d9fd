import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestAuth } from '@thankstar/platform/testing';

/** A test signing key whose JWKS is served over real HTTP, as licensing serves its own. */
export async function startTestJwks() {
  const auth = await createTestAuth();
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(auth.jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    sign: auth.sign,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
