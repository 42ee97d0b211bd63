import { eq, inArray } from 'drizzle-orm';
import type { DbExecutor } from './client.js';
import { homeViewers } from './schema.js';

export type HomeViewerRow = typeof homeViewers.$inferSelect;

/** Remembers that someone opened the App Home; opening it again changes nothing. */
export function addHomeViewer(db: DbExecutor, userId: string, at: Date): void {
  db.insert(homeViewers).values({ userId, firstOpenedAt: at }).onConflictDoNothing().run();
}

export function homeViewer(db: DbExecutor, userId: string): HomeViewerRow | undefined {
  return db.select().from(homeViewers).where(eq(homeViewers.userId, userId)).get();
}

/** Whether anyone has opened the App Home yet: until then no Home needs republishing. */
export function anyHomeViewer(db: DbExecutor): boolean {
  return db.select({ userId: homeViewers.userId }).from(homeViewers).limit(1).get() !== undefined;
}

/** Those of `userIds` who have opened the App Home. */
export function homeViewersAmong(db: DbExecutor, userIds: readonly string[]): string[] {
  if (userIds.length === 0) return [];
  return db
    .select({ userId: homeViewers.userId })
    .from(homeViewers)
    .where(inArray(homeViewers.userId, [...userIds]))
    .all()
    .map((row) => row.userId);
}

/** The answer to someone's last click in their Home, shown there for a while. */
export function setHomeNotice(db: DbExecutor, userId: string, notice: { text: string; at: Date }): void {
  db.insert(homeViewers)
    .values({ userId, firstOpenedAt: notice.at, notice: notice.text, noticeAt: notice.at })
    .onConflictDoUpdate({ target: homeViewers.userId, set: { notice: notice.text, noticeAt: notice.at } })
    .run();
}
