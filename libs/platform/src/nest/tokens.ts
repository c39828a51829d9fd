export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
