import type { Server } from 'node:http';
import type { AccessRevocationPayload } from '@thankstar/contracts';
import { liveCloseCodes, USER_DISABLED_REASON } from '@thankstar/contracts';
import { type AccessRevocationList, catalogueGraphQLError, DomainError, type TokenVerifier } from '@thankstar/platform';
import { type DocumentNode, GraphQLError, type GraphQLSchema } from 'graphql/index.js';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { bearerToken } from '../auth/bearer-token';
import { parseConnectionParams } from './connection-params';
import { type LeaseEnd, leaseEndClose, TAKEN_OVER_REASON } from './lease-ends';
import type { LeaseOutcome, LicensingLeases } from './licensing-leases';
import { LiveConnection, type SlowClientLimits } from './live-connection';
import type { TenantFanout } from './tenant-fanout';

export interface LiveContext {
  connection: LiveConnection;
}

export interface LiveServerOptions {
  httpServer: Server;
  path: string;
  schema: GraphQLSchema;
  verifier: TokenVerifier;
  limits: SlowClientLimits;
  /** A socket that has not sent a valid connection_init by then is closed (4408). */
  connectionInitTimeoutMs: number;
  /** Largest message a client may send; a bigger one closes that socket (1009). */
  maxMessageBytes: number;
  /** Subscriptions one socket may run at once; the next is refused with SUBSCRIPTION_LIMIT_REACHED. */
  maxSubscriptionsPerSocket: number;
  /** The HTTP document limits (http/document-limits.ts), applied to every subscription document. */
  checkDocument: (schema: GraphQLSchema, query: unknown) => DocumentNode | readonly GraphQLError[];
  /** Web and mobile sockets hold a concurrent-connection lease, desktops a seat-bound desktop lease; absent, none. */
  leases?: LicensingLeases;
  /**
   * Leases licensing ended (licensing.sessions.v1 `disconnected`): the socket holding one is
   * closed at once instead of at its next heartbeat (a revoked PC within about a second).
   */
  leaseEnds?: TenantFanout<LeaseEnd>;
  /** How often every socket is pinged; one that missed the previous pong is dropped. */
  keepAliveMs?: number;
  /** Revoked tokens: their sockets are closed when the revocation arrives (4411 or 4401). */
  revocations?: AccessRevocationList;
}

/** The close code and reason for a socket whose token was revoked. */
function revokedClose(reason: AccessRevocationPayload['reason']): { code: number; reason: string } {
  return reason === 'user-disabled'
    ? {
        code: liveCloseCodes.USER_DISABLED,
        reason: USER_DISABLED_REASON,
      }
    : {
        code: liveCloseCodes.UNAUTHENTICATED,
        reason:
          reason === 'password-reset'
            ? 'TOKEN_REVOKED: the password was reset; sign in again'
            : 'TOKEN_REVOKED: the session was used elsewhere; sign in again',
      };
}

const subscriptionLimitReached = (max: number) => catalogueGraphQLError('SUBSCRIPTION_LIMIT_REACHED', { max }, { max });

export interface LiveServer {
  connectionCount(): number;
  close(): Promise<void>;
}

/**
 * graphql-ws on the gateway's HTTP server. A socket is admitted only with a valid token in
 * connection_init; it is closed when that token expires. Only subscriptions run here.
 */
export function startLiveServer(options: LiveServerOptions): LiveServer {
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: options.maxMessageBytes,
  });
  const connections = new Set<LiveConnection>();
  const stopRevoking = options.revocations?.onRevoked((revocation) => {
    for (const connection of connections) {
      if (connection.principal.userId !== revocation.userId) continue;
      const reason = options.revocations?.revocationOf(connection.principal);
      if (!reason) continue;
      const close = revokedClose(reason);
      connection.close(close.code, close.reason);
      connections.delete(connection);
    }
  });

  // A client that vanished without a close frame (crash, lost network) would otherwise keep its
  // socket, and the gateway would keep heartbeating its lease: ping every socket and drop the
  // ones that did not answer the previous ping, so licensing frees the connection.
  const answered = new WeakMap<object, boolean>();
  wsServer.on('connection', (socket) => {
    answered.set(socket, true);
    socket.on('pong', () => answered.set(socket, true));
  });
  const keepAlive = setInterval(() => {
    for (const socket of wsServer.clients) {
      if (answered.get(socket) === false) {
        socket.terminate();
        continue;
      }
      answered.set(socket, false);
      socket.ping();
    }
  }, options.keepAliveMs ?? 15_000);
  keepAlive.unref();

  const server = useServer<Record<string, unknown>, { connection: LiveConnection }>(
    {
      schema: options.schema,
      connectionInitWaitTimeout: options.connectionInitTimeoutMs,
      onConnect: async (ctx) => {
        const socket = ctx.extra.socket;
        const params = parseConnectionParams(ctx.connectionParams);
        if (!params.ok) {
          socket.close(liveCloseCodes.BAD_CONNECTION_PARAMS, `BAD_REQUEST: ${params.message}`);
          return false;
        }
        const token = bearerToken(params.value.authorization);
        if (!token) {
          socket.close(
            liveCloseCodes.UNAUTHENTICATED,
            'UNAUTHENTICATED: connection_init needs authorization: Bearer <token>',
          );
          return false;
        }
        try {
          const principal = await options.verifier.verify(token);
          const { deviceKind, label, deviceCredential } = params.value;
          // Every client kind holds a lease, so every one is presence for billing (docs/product-rules.md#nobody-in); a
          // desktop's is tied to its PC's seat and takes no concurrent connection.
          const desktop = deviceKind === 'desktop';
          let lease: LeaseOutcome | undefined;
          if (options.leases && desktop) {
            lease = await options.leases.acquireDesktop(`Bearer ${token}`, deviceCredential ?? '', label);
          } else if (options.leases && deviceKind !== 'desktop') {
            lease = await options.leases.acquire(`Bearer ${token}`, deviceKind, label, principal.userId);
            // Takeover: refused while this user's own earlier tab (same kind and label) holds a
            // connection, the new tab takes it over; another user's lease is never touched.
            if (!lease.granted && lease.ownHolders?.length) {
              await takeOver(options.leases, `Bearer ${token}`, lease.ownHolders);
              lease = await options.leases.acquire(`Bearer ${token}`, deviceKind, label, principal.userId);
            }
          }
          if (lease && !lease.granted) {
            socket.close(lease.closeCode, lease.reason);
            return false;
          }
          const connection = new LiveConnection(socket, principal, options.limits);
          if (lease && options.leases) {
            const api = desktop ? options.leases.desktop() : options.leases;
            connection.holdLease(api, `Bearer ${token}`, lease.leaseId, lease.heartbeatSeconds);
            const leaseId = lease.leaseId;
            const stopWatching = options.leaseEnds?.add({
              tenantId: principal.tenantId,
              push: (end) => {
                if (end.leaseId !== leaseId) return;
                const close = leaseEndClose(end.reason);
                connection.close(close.code, close.reason);
                connections.delete(connection);
              },
            });
            if (stopWatching) connection.whenDisposed(stopWatching);
          }
          if (socket.readyState !== socket.OPEN) {
            // The client left while the lease was being taken: give it back at once.
            connection.dispose();
            return false;
          }
          ctx.extra.connection = connection;
          // The upgrade request (headers and all) would otherwise live as long as the socket.
          (ctx.extra as { request?: unknown }).request = undefined;
          connections.add(connection);
          return true;
        } catch (err) {
          if (err instanceof DomainError && err.code === 'TOKEN_REVOKED') {
            const close = revokedClose(err.details?.reason === 'user-disabled' ? 'user-disabled' : 'password-reset');
            socket.close(close.code, close.reason);
          } else if (err instanceof DomainError && err.code === 'TOKEN_EXPIRED') {
            socket.close(
              liveCloseCodes.TOKEN_EXPIRED,
              'TOKEN_EXPIRED: the access token expired; refresh it and reconnect',
            );
          } else {
            socket.close(liveCloseCodes.UNAUTHENTICATED, 'UNAUTHENTICATED: the access token is invalid');
          }
          return false;
        }
      },
      // Before anything runs: the socket's subscription count (graphql-ws has already registered
      // this one), then the same document limits as POST /graphql, parsed with the token cap.
      onSubscribe: (ctx, _id, payload) => {
        if (Object.keys(ctx.subscriptions).length > options.maxSubscriptionsPerSocket) {
          return [subscriptionLimitReached(options.maxSubscriptionsPerSocket)];
        }
        const checked = options.checkDocument(options.schema, payload.query);
        if (Array.isArray(checked)) return checked as GraphQLError[];
        return {
          schema: options.schema,
          document: checked as DocumentNode,
          operationName: payload.operationName,
          variableValues: payload.variables,
        };
      },
      onClose: (ctx) => {
        const connection = ctx.extra.connection;
        if (!connection) return;
        connection.dispose();
        connections.delete(connection);
      },
      context: (ctx): LiveContext => {
        // onConnect admitted the socket, so the connection exists.
        return { connection: ctx.extra.connection as LiveConnection };
      },
      execute: () => ({
        errors: [catalogueGraphQLError('OPERATION_NOT_SUPPORTED', {})],
      }),
    },
    wsServer,
  );

  /**
   * Ends the user's own earlier leases (licensing answers 204 to a holder releasing its own): this
   * instance closes its socket holding one at once, and every other instance closes its socket
   * when the `disconnected` (closed) event reaches it, with the same LEASE_ENDED reason.
   */
  async function takeOver(leases: LicensingLeases, authorization: string, leaseIds: string[]): Promise<void> {
    await Promise.all(leaseIds.map((id) => leases.release(authorization, id).catch(() => {})));
    for (const connection of connections) {
      if (connection.leaseId && leaseIds.includes(connection.leaseId)) {
        connection.close(liveCloseCodes.LEASE_ENDED, TAKEN_OVER_REASON);
        connections.delete(connection);
      }
    }
  }

  return {
    connectionCount: () => connections.size,
    close: async () => {
      stopRevoking?.();
      clearInterval(keepAlive);
      await server.dispose();
    },
  };
}
