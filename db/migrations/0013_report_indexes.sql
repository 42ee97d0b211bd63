CREATE INDEX `audit_events_to_state_occurred_idx` ON `audit_events` (`to_state`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `changes_created_at_idx` ON `changes` (`created_at`);