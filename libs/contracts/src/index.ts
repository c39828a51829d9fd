export * from './envelope';
export * from './phone-number';
export * from './telephony';
export * from './customers';
export * from './licensing';
export * from './billing';
export * from './topics';
