import type { webApi } from '@slack/bolt';
import type { Clock } from '../clock.js';
import type { TimeZoneDirectory } from '../services/digest.js';

/** How long a person's time zone is kept: the digest job asks every 15 minutes, Slack once an hour per person. */
export const TIME_ZONE_CACHE_MS = 60 * 60_000;

/** Each person's time zone from users.info (`tz`), kept a while; a failed look-up is not kept. */
export function slackTimeZones(client: webApi.WebClient, clock: Clock): TimeZoneDirectory {
  const cache = new Map<string, { until: number; timeZone: string | undefined }>();
  return {
    async timeZoneOf(userId) {
      const now = clock.now().getTime();
      const kept = cache.get(userId);
      if (kept && kept.until > now) return kept.timeZone;
      const info = await client.users.info({ user: userId });
      const timeZone = info.user?.tz || undefined;
      cache.set(userId, { until: now + TIME_ZONE_CACHE_MS, timeZone });
      return timeZone;
    },
  };
}
