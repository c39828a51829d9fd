import { liveCloseCodes } from '@thankstar/contracts';
import { catalogueGraphQLError, type Principal } from '@thankstar/platform';
import type WebSocket from 'ws';
import { authorizationMatrix } from '../authorization/authorization-matrix';
import { authorize } from '../authorization/authorize';
import { type EventStream, eventStream } from './event-stream';
import { leaseEndClose } from './lease-ends';
import type { LicensingLeases } from './licensing-leases';
import type { TenantFanout } from './tenant-fanout';

export interface SlowClientLimits {
  /** Events queued for a socket that has not taken the previous one yet. */
  maxPendingEvents: number;
  /** Bytes the socket has accepted but the network has not yet taken. */
  maxBufferedBytes: number;
}

// setTimeout fires at once past 2^31-1 ms; a token that lives longer is re-checked then.
const MAX_TIMER_MS = 2_147_483_647;

/** One authenticated graphql-ws socket: its principal, its streams and its token's expiry. */
export class LiveConnection {
  private readonly streams = new Set<EventStream<unknown>>();
  private readonly expiryTimer: NodeJS.Timeout;
  private closed = false;
  private releaseLease: (() => void) | undefined;
  private readonly onDispose: (() => void)[] = [];
  /** The licensing lease this socket holds, if any. */
  leaseId: string | undefined;

  constructor(
    readonly socket: WebSocket,
    readonly principal: Principal,
    private readonly limits: SlowClientLimits,
  ) {
    const ms = Math.min(MAX_TIMER_MS, Math.max(0, principal.expiresAt * 1000 - Date.now()));
    this.expiryTimer = setTimeout(
      () =>
        this.close(liveCloseCodes.TOKEN_EXPIRED, 'TOKEN_EXPIRED: the access token expired; refresh it and reconnect'),
      ms,
    );
  }

  /** The tenant's events of one kind, as long as the socket keeps up with them. */
  follow<T>(operation: string, fanout: TenantFanout<T>): AsyncIterableIterator<T> {
    if (authorize(authorizationMatrix[operation], this.principal) !== 'ALLOWED') {
      throw catalogueGraphQLError('FORBIDDEN', {
        reason: { ja: `このロールでは ${operation} を購読できません。`, en: `Your role may not use ${operation}.` },
      });
    }
    const tooSlow = () =>
      this.close(liveCloseCodes.TOO_SLOW, 'TOO_SLOW: the client did not read its events; reconnect and catch up');
    let remove = () => {};
    const stream: EventStream<T> = eventStream<T>({
      maxPending: this.limits.maxPendingEvents,
      onOverflow: tooSlow,
      onEnd: () => {
        remove();
        this.streams.delete(stream as EventStream<unknown>);
      },
    });
    remove = fanout.add({
      tenantId: this.principal.tenantId,
      push: (event) => {
        if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) return tooSlow();
        stream.push(event);
      },
    });
    this.streams.add(stream as EventStream<unknown>);
    if (this.closed) stream.end();
    return stream.iterator;
  }

  /** Keeps the licensing lease alive while the socket lives; an ended lease ends the socket. */
  holdLease(leases: LicensingLeases, authorization: string, leaseId: string, heartbeatSeconds: number): void {
    this.leaseId = leaseId;
    const heartbeat = setInterval(() => {
      leases.heartbeat(authorization, leaseId).then(
        (state) => {
          if (state === 'alive') return;
          const close = leaseEndClose(state === 'revoked' ? 'revoked' : 'ended-by-admin');
          this.close(close.code, close.reason);
        },
        // A missed heartbeat is retried on the next tick; licensing expires the lease only after several.
        () => {},
      );
    }, heartbeatSeconds * 1000);
    this.releaseLease = () => {
      clearInterval(heartbeat);
      leases.release(authorization, leaseId).catch(() => {});
    };
  }

  /** Runs once when the connection is disposed (e.g. stops watching for its lease's end). */
  whenDisposed(callback: () => void): void {
    if (this.closed) callback();
    else this.onDispose.push(callback);
  }

  close(code: number, reason: string): void {
    if (!this.closed) this.socket.close(code, reason);
    this.dispose();
  }

  /** Stops every stream; called when the socket closes, whoever closed it. */
  dispose(): void {
    this.closed = true;
    clearTimeout(this.expiryTimer);
    this.releaseLease?.();
    this.releaseLease = undefined;
    for (const callback of this.onDispose.splice(0)) callback();
    for (const stream of [...this.streams]) stream.end();
  }
}
