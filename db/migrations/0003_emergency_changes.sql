CREATE TABLE `obligations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`change_id` integer NOT NULL,
	`kind` text NOT NULL,
	`due_at` integer,
	`completed_at` integer,
	`completed_by` text,
	`evidence` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`change_id`) REFERENCES `changes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `obligations_change_kind_uq` ON `obligations` (`change_id`,`kind`);--> statement-breakpoint
DROP INDEX `approval_requirements_change_role_uq`;--> statement-breakpoint
ALTER TABLE `approval_requirements` ADD `phase` text DEFAULT 'approval' NOT NULL;--> statement-breakpoint
ALTER TABLE `approval_requirements` ADD `alternative` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `approval_requirements_change_phase_role_uq` ON `approval_requirements` (`change_id`,`phase`,`role`);--> statement-breakpoint
DROP INDEX `approval_decisions_once_uq`;--> statement-breakpoint
ALTER TABLE `approval_decisions` ADD `voided_at` integer;--> statement-breakpoint
ALTER TABLE `approval_decisions` ADD `void_reason` text;--> statement-breakpoint
CREATE UNIQUE INDEX `approval_decisions_once_uq` ON `approval_decisions` (`requirement_id`,`approver_id`) WHERE voided_at IS NULL;--> statement-breakpoint
ALTER TABLE `changes` ADD `emergency_criterion` text;--> statement-breakpoint
ALTER TABLE `changes` ADD `authorization_escalated_at` integer;--> statement-breakpoint
ALTER TABLE `changes` ADD `flagged_at` integer;--> statement-breakpoint
ALTER TABLE `changes` ADD `flag_reason` text;--> statement-breakpoint
ALTER TABLE `verbal_approvals` ADD `decision_id` integer REFERENCES approval_decisions(id);--> statement-breakpoint
ALTER TABLE `verbal_approvals` ADD `submission_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `verbal_approvals_submission_key_unique` ON `verbal_approvals` (`submission_key`);