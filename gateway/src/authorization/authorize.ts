/** One decision function for the gateway and the subgraphs' AuthGuard (libs/platform). */
export { authorize } from '@thankstar/platform';
