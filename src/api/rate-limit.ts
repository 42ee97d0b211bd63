import type { Clock } from '../clock.js';

export interface RateLimit {
  /** Requests a key may send at once. */
  burst: number;
  /** Requests a key regains per second. */
  perSecond: number;
}

export interface TokenBuckets {
  /** Takes one request from the key's bucket: 0 when it was allowed, else the seconds until one is. */
  take(key: string): number;
}

/** Past this many keys, those whose buckets are full again are dropped (a full bucket is the same as none). */
const PRUNE_AT = 10_000;

/** A token bucket per key, in memory: per-process, reset on restart, which is enough to stop a runaway pipeline. */
export function tokenBuckets({ burst, perSecond }: RateLimit, clock: Clock): TokenBuckets {
  const buckets = new Map<string, { tokens: number; at: number }>();
  // A clock set back (NTP) refills nothing rather than draining the bucket.
  const level = (bucket: { tokens: number; at: number }, now: number) =>
    Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond);
  return {
    take(key) {
      const now = clock.now().getTime();
      if (buckets.size > PRUNE_AT)
        for (const [other, bucket] of buckets) if (level(bucket, now) >= burst) buckets.delete(other);
      const bucket = buckets.get(key);
      const tokens = bucket ? level(bucket, now) : burst;
      if (tokens < 1) return Math.ceil((1 - tokens) / perSecond);
      buckets.set(key, { tokens: tokens - 1, at: now });
      return 0;
    },
  };
}
