/**
 * An error a user can act on: a stable machine code, a human message, and the HTTP status it
 * maps to. Services define their own codes; the filters below translate them in one place.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const unauthenticated = (message = 'A valid access token is required.') =>
  new DomainError('UNAUTHENTICATED', message, 401);
export const forbidden = (message = 'You are not allowed to do this.') => new DomainError('FORBIDDEN', message, 403);
export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} was not found.`, 404);
export const badInput = (message: string, details?: Record<string, unknown>) =>
  new DomainError('BAD_USER_INPUT', message, 400, details);
