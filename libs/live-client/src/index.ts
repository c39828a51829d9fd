export {
  finalLiveCloseCodes,
  graphqlWsProtocolCloseCodes,
  liveCloseCodes,
} from '@thankstar/contracts/live-close-codes';
export * from './documents';
export * from './live-client';
