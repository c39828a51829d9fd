import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { GqlContextType } from '@nestjs/graphql';
import {
  type ErrorCode,
  type ErrorParams,
  errorCatalogue,
  genericClientErrorJa,
  httpStatusMessages,
} from '@thankstar/contracts';
import { GraphQLError, type GraphQLFormattedError } from 'graphql/index.js';
import { rootLogger } from '../observability/logger';
import { DomainError } from './domain-error';

interface JsonResponse {
  status(code: number): JsonResponse;
  json(body: unknown): void;
}

const httpCodeNames: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/**
 * The answer's fields beyond `code` and `message` for a DomainError: the English for integrators,
 * the parameters (so a client renders its own language from the catalogue by code), the note and
 * the details.
 */
export function domainErrorExtras(err: DomainError): Record<string, unknown> {
  return {
    messageEn: err.messageEn,
    ...(Object.keys(err.params).length > 0 ? { params: err.params } : {}),
    ...(err.note ? { note: err.note } : {}),
    ...(err.details ? { details: err.details } : {}),
  };
}

const internalJa = errorCatalogue.INTERNAL.ja;
const internalEn = errorCatalogue.INTERNAL.en;

/**
 * HTTP: every error becomes `{code, message, messageEn}` with the right status and never a stack
 * trace; `message` is Japanese (from the catalogue), `code` stays the stable key.
 * GraphQL: errors are rethrown as GraphQLError with `extensions.code` and `extensions.messageEn`.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() === 'graphql') return toGraphQLError(exception);
    const res = host.switchToHttp().getResponse<JsonResponse>();
    if (exception instanceof DomainError) {
      return res
        .status(exception.status)
        .json({ code: exception.code, message: exception.message, ...domainErrorExtras(exception) });
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message =
        typeof body === 'object' && body && 'message' in body
          ? String((body as { message: unknown }).message)
          : exception.message;
      return res.status(status).json({
        code: httpCodeNames[status] ?? `HTTP_${status}`,
        message: httpStatusMessages[status] ?? genericClientErrorJa,
        messageEn: message,
      });
    }
    // Express's body parsers fail with http-errors (413 too large, 415 charset…): keep their 4xx.
    const clientStatus = (exception as { status?: unknown } | null)?.status;
    if (typeof clientStatus === 'number' && clientStatus >= 400 && clientStatus < 500) {
      const message = exception instanceof Error ? exception.message : 'The request was refused.';
      return res.status(clientStatus).json({
        code: httpCodeNames[clientStatus] ?? `HTTP_${clientStatus}`,
        message: httpStatusMessages[clientStatus] ?? genericClientErrorJa,
        messageEn: message,
      });
    }
    logUnexpected(exception);
    return res.status(500).json({ code: 'INTERNAL', message: internalJa, messageEn: internalEn });
  }
}

/** An error nobody expected: one JSON line with its stack (the caller gets INTERNAL without it). */
function logUnexpected(exception: unknown): void {
  rootLogger().error({ err: exception, context: 'ErrorFilter' }, 'unexpected error');
}

/**
 * A GraphQLError for a catalogue key, for places that answer GraphQL without a Nest filter (the
 * gateway, Apollo plugins): the Japanese message, `extensions.code` and `extensions.messageEn`,
 * plus whatever extensions the caller adds (http status, limits).
 */
export function catalogueGraphQLError<C extends ErrorCode>(
  key: C,
  params: ErrorParams<C>,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  const err = new (DomainError as new (k: C, p: ErrorParams<C>) => DomainError<C>)(key, params);
  return new GraphQLError(err.message, { extensions: { code: err.code, ...domainErrorExtras(err), ...extensions } });
}

export function toGraphQLError(exception: unknown): GraphQLError {
  if (exception instanceof GraphQLError) return exception;
  if (exception instanceof DomainError) {
    return new GraphQLError(exception.message, {
      extensions: { code: exception.code, ...domainErrorExtras(exception) },
    });
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return new GraphQLError(httpStatusMessages[status] ?? genericClientErrorJa, {
      extensions: { code: httpCodeNames[status] ?? `HTTP_${status}`, messageEn: exception.message },
    });
  }
  logUnexpected(exception);
  return new GraphQLError(internalJa, { extensions: { code: 'INTERNAL', messageEn: internalEn } });
}

/** Apollo's formatError: keep the code, drop stacks and internals. */
export function formatGraphQLError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = (formatted.extensions?.code as string | undefined) ?? 'INTERNAL';
  const { stacktrace: _stack, ...rest } = formatted.extensions ?? {};
  return { ...formatted, extensions: { ...rest, code } };
}
