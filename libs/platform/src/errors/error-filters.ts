import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { GqlContextType } from '@nestjs/graphql';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
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
 * HTTP: every error becomes `{code, message}` with the right status and never a stack trace.
 * GraphQL: errors are rethrown as GraphQLError with `extensions.code`.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() === 'graphql') return toGraphQLError(exception);
    const res = host.switchToHttp().getResponse<JsonResponse>();
    if (exception instanceof DomainError) {
      return res.status(exception.status).json({
        code: exception.code,
        message: exception.message,
        ...(exception.details ? { details: exception.details } : {}),
      });
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message =
        typeof body === 'object' && body && 'message' in body
          ? String((body as { message: unknown }).message)
          : exception.message;
      return res.status(status).json({ code: httpCodeNames[status] ?? `HTTP_${status}`, message });
    }
    // Express's body parsers fail with http-errors (413 too large, 415 charset…): keep their 4xx.
    const clientStatus = (exception as { status?: unknown } | null)?.status;
    if (typeof clientStatus === 'number' && clientStatus >= 400 && clientStatus < 500) {
      const message = exception instanceof Error ? exception.message : 'The request was refused.';
      return res.status(clientStatus).json({ code: httpCodeNames[clientStatus] ?? `HTTP_${clientStatus}`, message });
    }
    console.error(exception);
    return res.status(500).json({ code: 'INTERNAL', message: 'Something went wrong on our side. Please retry.' });
  }
}

export function toGraphQLError(exception: unknown): GraphQLError {
  if (exception instanceof GraphQLError) return exception;
  if (exception instanceof DomainError) {
    return new GraphQLError(exception.message, {
      extensions: { code: exception.code, ...(exception.details ? { details: exception.details } : {}) },
    });
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return new GraphQLError(exception.message, { extensions: { code: httpCodeNames[status] ?? `HTTP_${status}` } });
  }
  console.error(exception);
  return new GraphQLError('Something went wrong on our side. Please retry.', { extensions: { code: 'INTERNAL' } });
}

/** Apollo's formatError: keep the code, drop stacks and internals. */
export function formatGraphQLError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = (formatted.extensions?.code as string | undefined) ?? 'INTERNAL';
  const { stacktrace: _stack, ...rest } = formatted.extensions ?? {};
  return { ...formatted, extensions: { ...rest, code } };
}
