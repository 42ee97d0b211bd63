-- Retention (POL-SEC-008 11.1): evidence past its retention is deleted by the daily purge, and only by it. The
-- purge writes a row into retention_guard inside its own transaction and removes it before committing, so no other
-- connection ever sees one. A row may be deleted only while a guard exists, when the row is older than the guard's
-- horizon (its latest time: voided, resolved, completed, closed or decided if set), and the horizon itself lies
-- at least 365 days before the database's own clock: the shortest retention the policy accepts is one year, so
-- nothing younger is ever deleted, whatever the guard says. Everything else still refuses DELETE as before.
DROP TRIGGER audit_events_no_delete;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN NOT EXISTS (SELECT 1 FROM retention_guard g WHERE OLD.occurred_at < g.before
  AND g.before <= unixepoch('subsec') * 1000 - 31536000000)
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;
--> statement-breakpoint
DROP TRIGGER change_versions_no_delete;
--> statement-breakpoint
CREATE TRIGGER change_versions_no_delete BEFORE DELETE ON change_versions
WHEN NOT EXISTS (SELECT 1 FROM retention_guard g WHERE OLD.recorded_at < g.before
  AND g.before <= unixepoch('subsec') * 1000 - 31536000000)
BEGIN
  SELECT RAISE(ABORT, 'change_versions is write-once');
END;
--> statement-breakpoint
DROP TRIGGER authorization_disputes_no_delete;
--> statement-breakpoint
CREATE TRIGGER authorization_disputes_no_delete BEFORE DELETE ON authorization_disputes
WHEN NOT EXISTS (SELECT 1 FROM retention_guard g WHERE coalesce(OLD.resolved_at, OLD.disputed_at) < g.before
  AND g.before <= unixepoch('subsec') * 1000 - 31536000000)
BEGIN
  SELECT RAISE(ABORT, 'authorization_disputes is never deleted');
END;
--> statement-breakpoint
DROP TRIGGER approval_decisions_no_delete;
--> statement-breakpoint
CREATE TRIGGER approval_decisions_no_delete BEFORE DELETE ON approval_decisions
WHEN NOT EXISTS (SELECT 1 FROM retention_guard g WHERE coalesce(OLD.voided_at, OLD.decided_at) < g.before
  AND g.before <= unixepoch('subsec') * 1000 - 31536000000)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
DROP TRIGGER verbal_approvals_no_delete;
--> statement-breakpoint
CREATE TRIGGER verbal_approvals_no_delete BEFORE DELETE ON verbal_approvals
WHEN NOT EXISTS (SELECT 1 FROM retention_guard g WHERE OLD.recorded_at < g.before
  AND g.before <= unixepoch('subsec') * 1000 - 31536000000)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
DROP TRIGGER verbal_approval_confirmations_no_delete;
--> statement-breakpoint
CREATE TRIGGER verbal_approval_confirmations_no_delete BEFORE DELETE ON verbal_approval_confirmations
WHEN NOT EXISTS (SELECT 1 FROM retention_guard g WHERE OLD.responded_at < g.before
  AND g.before <= unixepoch('subsec') * 1000 - 31536000000)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
DROP TRIGGER rollbacks_no_delete;
--> statement-breakpoint
CREATE TRIGGER rollbacks_no_delete BEFORE DELETE ON rollbacks
WHEN NOT EXISTS (SELECT 1 FROM retention_guard g WHERE OLD.recorded_at < g.before
  AND g.before <= unixepoch('subsec') * 1000 - 31536000000)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
DROP TRIGGER post_implementation_reviews_no_delete;
--> statement-breakpoint
CREATE TRIGGER post_implementation_reviews_no_delete BEFORE DELETE ON post_implementation_reviews
WHEN NOT EXISTS (SELECT 1 FROM retention_guard g WHERE OLD.reviewed_at < g.before
  AND g.before <= unixepoch('subsec') * 1000 - 31536000000)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
DROP TRIGGER obligations_no_delete;
--> statement-breakpoint
CREATE TRIGGER obligations_no_delete BEFORE DELETE ON obligations
WHEN NOT EXISTS (SELECT 1 FROM retention_guard g WHERE coalesce(OLD.completed_at, OLD.created_at) < g.before
  AND g.before <= unixepoch('subsec') * 1000 - 31536000000)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
DROP TRIGGER cab_meetings_no_delete;
--> statement-breakpoint
CREATE TRIGGER cab_meetings_no_delete BEFORE DELETE ON cab_meetings
WHEN NOT EXISTS (SELECT 1 FROM retention_guard g WHERE coalesce(OLD.closed_at, OLD.created_at) < g.before
  AND g.before <= unixepoch('subsec') * 1000 - 31536000000)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
DROP TRIGGER cab_items_no_delete;
--> statement-breakpoint
CREATE TRIGGER cab_items_no_delete BEFORE DELETE ON cab_items
WHEN NOT EXISTS (SELECT 1 FROM retention_guard g WHERE coalesce(OLD.decided_at, OLD.created_at) < g.before
  AND g.before <= unixepoch('subsec') * 1000 - 31536000000)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
DROP TRIGGER cab_votes_no_delete;
--> statement-breakpoint
CREATE TRIGGER cab_votes_no_delete BEFORE DELETE ON cab_votes
WHEN NOT EXISTS (SELECT 1 FROM retention_guard g WHERE OLD.voted_at < g.before
  AND g.before <= unixepoch('subsec') * 1000 - 31536000000)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
