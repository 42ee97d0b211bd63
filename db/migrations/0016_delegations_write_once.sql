-- A decision's delegator ("on behalf of") is evidence like the rest of the decision: the void-once rule of
-- 0010_evidence_write_once now keeps it unchanged too.
DROP TRIGGER approval_decisions_void_once;
--> statement-breakpoint
CREATE TRIGGER approval_decisions_void_once BEFORE UPDATE ON approval_decisions
WHEN NOT (OLD.voided_at IS NULL AND NEW.voided_at IS NOT NULL AND NEW.id IS OLD.id AND NEW.change_id IS OLD.change_id
  AND NEW.requirement_id IS OLD.requirement_id AND NEW.approver_id IS OLD.approver_id AND NEW.role IS OLD.role
  AND NEW.decision IS OLD.decision AND NEW.reason IS OLD.reason AND NEW.source IS OLD.source
  AND NEW.on_behalf_of IS OLD.on_behalf_of AND NEW.decided_at IS OLD.decided_at)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint

-- Delegations say who could decide for whom, and when: ended once, never edited nor deleted, never replaced.
CREATE TRIGGER delegations_no_replace BEFORE INSERT ON delegations
WHEN EXISTS (SELECT 1 FROM delegations WHERE id = NEW.id)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER delegations_end_once BEFORE UPDATE ON delegations
WHEN NOT (OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL AND NEW.ended_by IS NOT NULL AND NEW.id IS OLD.id
  AND NEW.delegator_id IS OLD.delegator_id AND NEW.delegate_id IS OLD.delegate_id AND NEW.until IS OLD.until
  AND NEW.reason IS OLD.reason AND NEW.created_at IS OLD.created_at)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER delegations_no_delete BEFORE DELETE ON delegations
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
