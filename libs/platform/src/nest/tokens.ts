export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
/** The process's AccessRevocationList: `/health` is not ready until it has caught up. */
export const ACCESS_REVOCATIONS = Symbol('ACCESS_REVOCATIONS');
