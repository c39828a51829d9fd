export * from './billing';
export * from './customers';
export * from './envelope';
export * from './licensing';
export * from './phone-number';
export * from './rules';
export * from './telephony';
export * from './topics';
