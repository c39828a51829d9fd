// Product rules that more than one service (or the admin UI) needs: each has its one owner
// here. Pure and browser-safe: no Node, Nest, TypeORM or kafkajs imports.
export * from './billable-seats';
export * from './connection-capacity';
export * from './month-bounds';
export * from './provider-staff';
export * from './time-zone';
