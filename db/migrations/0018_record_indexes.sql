CREATE INDEX `approval_decisions_change_idx` ON `approval_decisions` (`change_id`);--> statement-breakpoint
CREATE INDEX `approval_decisions_approver_idx` ON `approval_decisions` (`approver_id`);--> statement-breakpoint
CREATE INDEX `authorization_disputes_change_idx` ON `authorization_disputes` (`change_id`);--> statement-breakpoint
CREATE INDEX `verbal_approvals_change_idx` ON `verbal_approvals` (`change_id`);