/** One decision function for the gateway and the subgraphs' AuthGuard (libs/platform). */
export { type AuthorizationDecision, authorize } from '@thankstar/platform';
