/**
 * A client heartbeats every 15 s; a lease without one for 45 s expires and the sweeper (every
 * 5 s) frees it, so a crashed client's connection is back within 50 s (SPEC: within a minute).
 */
export const leaseSettings = {
  ttlSeconds: Number(process.env.LEASE_TTL_SECONDS ?? 45),
  heartbeatSeconds: Number(process.env.LEASE_HEARTBEAT_SECONDS ?? 15),
  sweepSeconds: Number(process.env.LEASE_SWEEP_SECONDS ?? 5),
};
