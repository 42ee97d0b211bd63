-- Evidence (POL-SEC-008 11.1) is written once. INSERT OR REPLACE deletes the row it conflicts with and fires no
-- delete trigger (recursive_triggers is off), so each table refuses an insert that would replace a row. An update
-- is allowed only where the app needs it, and only once: setting what was still empty.

-- Audit events: appended with their hash; an event from before the chain may only be hashed, once.
DROP TRIGGER audit_events_no_update;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN NOT (OLD.hash IS NULL AND OLD.prev_hash IS NULL AND NEW.id IS OLD.id AND NEW.change_id IS OLD.change_id
  AND NEW.actor_id IS OLD.actor_id AND NEW.type IS OLD.type AND NEW.from_state IS OLD.from_state
  AND NEW.to_state IS OLD.to_state AND NEW.data IS OLD.data AND NEW.occurred_at IS OLD.occurred_at)
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id OR prev_hash = NEW.prev_hash)
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER audit_events_hashed BEFORE INSERT ON audit_events
WHEN NEW.hash IS NULL OR NEW.prev_hash IS NULL
BEGIN
  SELECT RAISE(ABORT, 'audit events are appended with their hash (recordAudit)');
END;
--> statement-breakpoint

-- Decisions: voided at most once, nothing else. A second standing decision of one person on one requirement is
-- refused before REPLACE could delete the first (the app checks before it inserts).
CREATE TRIGGER approval_decisions_no_replace BEFORE INSERT ON approval_decisions
WHEN EXISTS (SELECT 1 FROM approval_decisions WHERE id = NEW.id)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER approval_decisions_once BEFORE INSERT ON approval_decisions
WHEN NEW.voided_at IS NULL AND EXISTS (SELECT 1 FROM approval_decisions WHERE requirement_id = NEW.requirement_id
  AND approver_id = NEW.approver_id AND voided_at IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'UNIQUE: one standing decision per person per requirement');
END;
--> statement-breakpoint
CREATE TRIGGER approval_decisions_void_once BEFORE UPDATE ON approval_decisions
WHEN NOT (OLD.voided_at IS NULL AND NEW.voided_at IS NOT NULL AND NEW.id IS OLD.id AND NEW.change_id IS OLD.change_id
  AND NEW.requirement_id IS OLD.requirement_id AND NEW.approver_id IS OLD.approver_id AND NEW.role IS OLD.role
  AND NEW.decision IS OLD.decision AND NEW.reason IS OLD.reason AND NEW.source IS OLD.source
  AND NEW.decided_at IS OLD.decided_at)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER approval_decisions_no_delete BEFORE DELETE ON approval_decisions
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint

-- Verbal approvals: linked to the authorization they count as, once.
CREATE TRIGGER verbal_approvals_no_replace BEFORE INSERT ON verbal_approvals
WHEN EXISTS (SELECT 1 FROM verbal_approvals WHERE id = NEW.id OR submission_key = NEW.submission_key)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER verbal_approvals_link_once BEFORE UPDATE ON verbal_approvals
WHEN NOT (OLD.decision_id IS NULL AND NEW.id IS OLD.id AND NEW.change_id IS OLD.change_id
  AND NEW.approver_id IS OLD.approver_id AND NEW.role IS OLD.role AND NEW.medium IS OLD.medium
  AND NEW.given_at IS OLD.given_at AND NEW.note IS OLD.note AND NEW.recorded_by IS OLD.recorded_by
  AND NEW.recorded_at IS OLD.recorded_at AND NEW.submission_key IS OLD.submission_key)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER verbal_approvals_no_delete BEFORE DELETE ON verbal_approvals
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint

-- Confirmations, rollback records and reviews: never changed.
CREATE TRIGGER verbal_approval_confirmations_no_replace BEFORE INSERT ON verbal_approval_confirmations
WHEN EXISTS (SELECT 1 FROM verbal_approval_confirmations WHERE id = NEW.id OR verbal_approval_id = NEW.verbal_approval_id)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER verbal_approval_confirmations_no_update BEFORE UPDATE ON verbal_approval_confirmations
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER verbal_approval_confirmations_no_delete BEFORE DELETE ON verbal_approval_confirmations
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER rollbacks_no_replace BEFORE INSERT ON rollbacks
WHEN EXISTS (SELECT 1 FROM rollbacks WHERE id = NEW.id OR change_id = NEW.change_id)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER rollbacks_no_update BEFORE UPDATE ON rollbacks
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER rollbacks_no_delete BEFORE DELETE ON rollbacks
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER post_implementation_reviews_no_replace BEFORE INSERT ON post_implementation_reviews
WHEN EXISTS (SELECT 1 FROM post_implementation_reviews WHERE id = NEW.id OR change_id = NEW.change_id)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER post_implementation_reviews_no_update BEFORE UPDATE ON post_implementation_reviews
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER post_implementation_reviews_no_delete BEFORE DELETE ON post_implementation_reviews
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint

-- A verification is removed when the change fails afterwards (the audit log keeps it); it is never edited.
CREATE TRIGGER verifications_no_replace BEFORE INSERT ON verifications
WHEN EXISTS (SELECT 1 FROM verifications WHERE id = NEW.id OR change_id = NEW.change_id)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER verifications_no_update BEFORE UPDATE ON verifications
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint

-- Obligations: completed once. A repeated obligation is ignored, as ON CONFLICT DO NOTHING does.
CREATE TRIGGER obligations_no_replace BEFORE INSERT ON obligations
WHEN EXISTS (SELECT 1 FROM obligations WHERE id = NEW.id)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER obligations_once BEFORE INSERT ON obligations
WHEN EXISTS (SELECT 1 FROM obligations WHERE change_id = NEW.change_id AND kind = NEW.kind)
BEGIN
  SELECT RAISE(IGNORE);
END;
--> statement-breakpoint
CREATE TRIGGER obligations_complete_once BEFORE UPDATE ON obligations
WHEN NOT (OLD.completed_at IS NULL AND NEW.id IS OLD.id AND NEW.change_id IS OLD.change_id AND NEW.kind IS OLD.kind
  AND NEW.due_at IS OLD.due_at AND NEW.created_at IS OLD.created_at)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER obligations_no_delete BEFORE DELETE ON obligations
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint

-- CAB meetings: the agenda as posted and the minutes, closed once; where the messages were posted may be set.
CREATE TRIGGER cab_meetings_no_replace BEFORE INSERT ON cab_meetings
WHEN EXISTS (SELECT 1 FROM cab_meetings WHERE id = NEW.id OR slot = NEW.slot)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER cab_meetings_close_once BEFORE UPDATE ON cab_meetings
WHEN NOT (NEW.id IS OLD.id AND NEW.kind IS OLD.kind AND NEW.slot IS OLD.slot AND NEW.meeting_at IS OLD.meeting_at
  AND NEW.late IS OLD.late AND NEW.opened_by IS OLD.opened_by AND NEW.agenda IS OLD.agenda
  AND NEW.created_at IS OLD.created_at
  AND (OLD.closed_at IS NULL OR (NEW.closed_at IS OLD.closed_at AND NEW.closed_by IS OLD.closed_by
    AND NEW.notes IS OLD.notes AND NEW.minutes IS OLD.minutes)))
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER cab_meetings_no_delete BEFORE DELETE ON cab_meetings
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint

-- CAB items: decided once; where the vote buttons were posted may be set.
CREATE TRIGGER cab_items_no_replace BEFORE INSERT ON cab_items
WHEN EXISTS (SELECT 1 FROM cab_items WHERE id = NEW.id OR (meeting_id = NEW.meeting_id AND change_id = NEW.change_id))
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER cab_items_decide_once BEFORE UPDATE ON cab_items
WHEN NOT (NEW.id IS OLD.id AND NEW.meeting_id IS OLD.meeting_id AND NEW.change_id IS OLD.change_id
  AND NEW.phase IS OLD.phase AND NEW.created_at IS OLD.created_at
  AND (OLD.outcome IS NULL OR (NEW.outcome IS OLD.outcome AND NEW.decided_by IS OLD.decided_by
    AND NEW.reason IS OLD.reason AND NEW.decided_at IS OLD.decided_at)))
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER cab_items_no_delete BEFORE DELETE ON cab_items
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint

-- CAB votes: a member may change their vote (an UPDATE, audited) until the item is decided; never removed.
CREATE TRIGGER cab_votes_no_replace BEFORE INSERT ON cab_votes
WHEN EXISTS (SELECT 1 FROM cab_votes WHERE id = NEW.id OR (item_id = NEW.item_id AND voter_id = NEW.voter_id))
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER cab_votes_change_until_decided BEFORE UPDATE ON cab_votes
WHEN NOT (NEW.id IS OLD.id AND NEW.item_id IS OLD.item_id AND NEW.voter_id IS OLD.voter_id
  AND (SELECT outcome FROM cab_items WHERE id = OLD.item_id) IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER cab_votes_no_delete BEFORE DELETE ON cab_votes
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
