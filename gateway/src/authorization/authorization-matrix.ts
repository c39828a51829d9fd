/**
 * The matrix lives in libs/platform (auth/authorization-matrix.ts) so the gateway and every
 * subgraph's AuthGuard read the same rows; the gateway's tests and docs generator use it from here.
 */
export { authorizationMatrix, type OperationRule, tenantRules } from '@thankstar/platform';
