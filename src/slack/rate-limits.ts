// Slack's Web API rate limits, per method and workspace (https://api.slack.com/apis/rate-limits):
// tier 2 about 20 calls a minute, tier 3 about 50, tier 4 about 100, each allowing short bursts.
// chat.postMessage is "special" (about one message a second per channel, bursts allowed): it gets a
// generous workspace budget here, and a 429 from Slack pauses it like any other method.

const PER_MINUTE = { tier2: 20, tier3: 50, tier4: 100, special: 600 } as const;

/** The methods the outbox calls, by tier; others get tier 3. */
const METHOD_BUDGETS: Record<string, number> = {
  'chat.postMessage': PER_MINUTE.special,
  'chat.update': PER_MINUTE.tier3,
  'chat.getPermalink': PER_MINUTE.tier4,
  'conversations.open': PER_MINUTE.tier3,
  'conversations.history': PER_MINUTE.tier3,
  'usergroups.users.list': PER_MINUTE.tier2,
  'users.info': PER_MINUTE.tier4,
  'views.publish': PER_MINUTE.tier4,
};

interface Bucket {
  tokens: number;
  refilledAt: number;
  /** No call before this instant (a Retry-After). */
  pausedUntil: number;
}

/**
 * A token bucket per method: a minute's budget may be spent in a burst, then calls are spaced out.
 * Times are real milliseconds (`performance.now()`-like), independent of the business clock.
 */
export class MethodRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Waits until `method` may be called, then takes a token. */
  async acquire(method: string): Promise<void> {
    for (;;) {
      const wait = this.take(method);
      if (wait === 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Slack said Retry-After: nothing more of this method until then; other methods go on. */
  pause(method: string, ms: number): void {
    const bucket = this.bucketOf(method);
    bucket.pausedUntil = Math.max(bucket.pausedUntil, this.now() + ms);
    bucket.tokens = 0;
  }

  /** Takes a token and returns 0, or returns how long to wait before asking again. */
  private take(method: string): number {
    const bucket = this.bucketOf(method);
    const now = this.now();
    if (bucket.pausedUntil > now) return bucket.pausedUntil - now;
    const perMinute = METHOD_BUDGETS[method] ?? PER_MINUTE.tier3;
    bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.refilledAt) * perMinute) / 60_000);
    bucket.refilledAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) * 60_000) / perMinute);
  }

  private bucketOf(method: string): Bucket {
    let bucket = this.buckets.get(method);
    if (!bucket) {
      bucket = { tokens: METHOD_BUDGETS[method] ?? PER_MINUTE.tier3, refilledAt: this.now(), pausedUntil: 0 };
      this.buckets.set(method, bucket);
    }
    return bucket;
  }
}
