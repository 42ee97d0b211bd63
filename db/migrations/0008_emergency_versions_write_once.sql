-- An emergency's declared and documented versions are evidence (POL-SEC-008 6.4, 11.1): written once,
-- never changed, removed or replaced (a BEFORE INSERT trigger also stops INSERT OR REPLACE, which
-- fires no delete trigger).
CREATE TRIGGER change_versions_no_update BEFORE UPDATE ON change_versions
BEGIN
  SELECT RAISE(ABORT, 'change_versions is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER change_versions_no_delete BEFORE DELETE ON change_versions
BEGIN
  SELECT RAISE(ABORT, 'change_versions is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER change_versions_no_replace BEFORE INSERT ON change_versions
WHEN EXISTS (
  SELECT 1 FROM change_versions
  WHERE id = NEW.id OR (change_id = NEW.change_id AND (version = NEW.version OR kind = NEW.kind))
)
BEGIN
  SELECT RAISE(ABORT, 'change_versions is write-once');
END;
--> statement-breakpoint
-- A dispute is opened once and resolved once; its opening never changes and it is never removed.
CREATE TRIGGER authorization_disputes_resolve_once BEFORE UPDATE ON authorization_disputes
WHEN OLD.resolved_at IS NOT NULL
  OR NEW.id IS NOT OLD.id
  OR NEW.change_id IS NOT OLD.change_id
  OR NEW.verbal_approval_id IS NOT OLD.verbal_approval_id
  OR NEW.disputed_by IS NOT OLD.disputed_by
  OR NEW.disputed_at IS NOT OLD.disputed_at
  OR NEW.resolved_at IS NULL
BEGIN
  SELECT RAISE(ABORT, 'authorization_disputes: a dispute is resolved once and otherwise never changed');
END;
--> statement-breakpoint
CREATE TRIGGER authorization_disputes_no_delete BEFORE DELETE ON authorization_disputes
BEGIN
  SELECT RAISE(ABORT, 'authorization_disputes is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER authorization_disputes_no_replace BEFORE INSERT ON authorization_disputes
WHEN EXISTS (
  SELECT 1 FROM authorization_disputes WHERE id = NEW.id OR verbal_approval_id = NEW.verbal_approval_id
)
BEGIN
  SELECT RAISE(ABORT, 'authorization_disputes is never replaced');
END;
--> statement-breakpoint
-- Emergencies declared before versions existed and not documented yet: their columns still hold the
-- declaration. (Those already documented were overwritten; nothing is left to keep.)
INSERT INTO change_versions
  (change_id, version, kind, title, description, implementation_plan, rollback_plan, affected_systems, recorded_by, recorded_at)
SELECT c.id, 1, 'declared', c.title, c.description, c.implementation_plan, c.rollback_plan, c.affected_systems,
  c.requester_id, c.created_at
FROM changes c
WHERE c.type = 'emergency'
  AND NOT EXISTS (
    SELECT 1 FROM obligations o WHERE o.change_id = c.id AND o.kind = 'documentation' AND o.completed_at IS NOT NULL
  );
