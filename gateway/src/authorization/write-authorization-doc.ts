import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gatewayDir } from '../supergraph/load-supergraph';
import { authorizationMatrix } from './authorization-matrix';
import { renderAuthorizationDoc } from './render-authorization-doc';

/** `npm run -w gateway docs:authorization`: regenerates docs/api/authorization.md. */
export const authorizationDocPath = join(gatewayDir, '..', 'docs', 'api', 'authorization.md');

if (require.main === module) {
  mkdirSync(dirname(authorizationDocPath), { recursive: true });
  writeFileSync(authorizationDocPath, renderAuthorizationDoc(authorizationMatrix));
  console.log(`Written ${authorizationDocPath}`);
}
