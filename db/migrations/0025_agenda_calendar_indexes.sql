CREATE INDEX `authorization_disputes_open_idx` ON `authorization_disputes` (`change_id`) WHERE "authorization_disputes"."resolved_at" IS NULL;--> statement-breakpoint
CREATE INDEX `changes_updated_at_idx` ON `changes` (`updated_at`);--> statement-breakpoint
CREATE INDEX `changes_state_planned_end_idx` ON `changes` (`state`,`planned_end`);--> statement-breakpoint
CREATE INDEX `obligations_open_idx` ON `obligations` (`change_id`) WHERE "obligations"."completed_at" IS NULL;--> statement-breakpoint
CREATE INDEX `verbal_approval_confirmations_responded_idx` ON `verbal_approval_confirmations` (`responded_at`);