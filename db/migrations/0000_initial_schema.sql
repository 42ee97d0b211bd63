CREATE TABLE `approval_decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`change_id` integer NOT NULL,
	`requirement_id` integer,
	`approver_id` text,
	`role` text,
	`decision` text NOT NULL,
	`reason` text,
	`source` text NOT NULL,
	`decided_at` integer NOT NULL,
	FOREIGN KEY (`change_id`) REFERENCES `changes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requirement_id`) REFERENCES `approval_requirements`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `approval_decisions_once_uq` ON `approval_decisions` (`change_id`,`role`,`approver_id`);--> statement-breakpoint
CREATE TABLE `approval_requirements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`change_id` integer NOT NULL,
	`role` text NOT NULL,
	`approvals_needed` integer NOT NULL,
	`satisfied_at` integer,
	FOREIGN KEY (`change_id`) REFERENCES `changes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `approval_requirements_change_role_uq` ON `approval_requirements` (`change_id`,`role`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`change_id` integer,
	`actor_id` text NOT NULL,
	`type` text NOT NULL,
	`from_state` text,
	`to_state` text,
	`data` text,
	`occurred_at` integer NOT NULL,
	FOREIGN KEY (`change_id`) REFERENCES `changes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_events_change_idx` ON `audit_events` (`change_id`);--> statement-breakpoint
CREATE TABLE `changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`state` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`business_justification` text,
	`impact_analysis` text,
	`test_plan` text,
	`rollback_plan` text,
	`implementation_plan` text,
	`affected_systems` text DEFAULT '[]' NOT NULL,
	`risk_answers` text,
	`risk_score` integer,
	`computed_risk_level` text,
	`risk_level` text,
	`security_triggers` text DEFAULT '[]' NOT NULL,
	`review_rules` text DEFAULT '[]' NOT NULL,
	`standard_change_id` text,
	`requester_id` text NOT NULL,
	`owner_id` text NOT NULL,
	`planned_start` integer,
	`planned_end` integer,
	`link` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `changes_state_idx` ON `changes` (`state`);--> statement-breakpoint
CREATE INDEX `changes_planned_start_idx` ON `changes` (`planned_start`);--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job` text NOT NULL,
	`slot` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `job_runs_job_slot_uq` ON `job_runs` (`job`,`slot`);--> statement-breakpoint
CREATE TABLE `slack_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`change_id` integer,
	`purpose` text NOT NULL,
	`channel_id` text NOT NULL,
	`ts` text NOT NULL,
	`recipient_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`change_id`) REFERENCES `changes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `slack_messages_channel_ts_uq` ON `slack_messages` (`channel_id`,`ts`);--> statement-breakpoint
CREATE INDEX `slack_messages_change_idx` ON `slack_messages` (`change_id`);--> statement-breakpoint
CREATE TABLE `verbal_approval_confirmations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`verbal_approval_id` integer NOT NULL,
	`outcome` text NOT NULL,
	`responded_by` text NOT NULL,
	`responded_at` integer NOT NULL,
	`comment` text,
	FOREIGN KEY (`verbal_approval_id`) REFERENCES `verbal_approvals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `verbal_approval_confirmations_verbal_approval_id_unique` ON `verbal_approval_confirmations` (`verbal_approval_id`);--> statement-breakpoint
CREATE TABLE `verbal_approvals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`change_id` integer NOT NULL,
	`approver_id` text NOT NULL,
	`role` text NOT NULL,
	`medium` text NOT NULL,
	`given_at` integer NOT NULL,
	`note` text,
	`recorded_by` text NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`change_id`) REFERENCES `changes`(`id`) ON UPDATE no action ON DELETE no action
);
