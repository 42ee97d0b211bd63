-- Change evidence (tests, step items) is written once: a new record is a new row. Deleted only by the retention purge
-- (POL-SEC-008 11.1), under its guard, like the other evidence tables (0012).
CREATE TRIGGER change_evidence_no_replace BEFORE INSERT ON change_evidence
WHEN EXISTS (SELECT 1 FROM change_evidence WHERE id = NEW.id)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER change_evidence_no_update BEFORE UPDATE ON change_evidence
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
--> statement-breakpoint
CREATE TRIGGER change_evidence_no_delete BEFORE DELETE ON change_evidence
WHEN NOT EXISTS (SELECT 1 FROM retention_guard g WHERE OLD.recorded_at < g.before
  AND g.before <= unixepoch('subsec') * 1000 - 31536000000)
BEGIN
  SELECT RAISE(ABORT, 'evidence is write-once');
END;
