import type { ChangeState } from '../domain/lifecycle.js';
import type { DbExecutor } from './client.js';
import { auditEvents } from './schema.js';

export interface AuditEntry {
  changeId: number | null;
  actorId: string;
  type: string;
  fromState?: ChangeState;
  toState?: ChangeState;
  data?: Record<string, unknown>;
}

/** Appends an event to the audit log; call inside the transaction that made it happen. */
export function recordAudit(db: DbExecutor, entry: AuditEntry, at: Date): void {
  db.insert(auditEvents)
    .values({ ...entry, occurredAt: at })
    .run();
}
