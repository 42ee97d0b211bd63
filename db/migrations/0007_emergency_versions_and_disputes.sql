CREATE TABLE `authorization_disputes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`change_id` integer NOT NULL,
	`verbal_approval_id` integer NOT NULL,
	`disputed_by` text NOT NULL,
	`disputed_at` integer NOT NULL,
	`resolved_by` text,
	`resolved_at` integer,
	`resolution` text,
	FOREIGN KEY (`change_id`) REFERENCES `changes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`verbal_approval_id`) REFERENCES `verbal_approvals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `authorization_disputes_verbal_approval_id_unique` ON `authorization_disputes` (`verbal_approval_id`);--> statement-breakpoint
CREATE TABLE `change_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`change_id` integer NOT NULL,
	`version` integer NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`implementation_plan` text,
	`rollback_plan` text,
	`affected_systems` text NOT NULL,
	`recorded_by` text NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`change_id`) REFERENCES `changes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `change_versions_change_version_uq` ON `change_versions` (`change_id`,`version`);--> statement-breakpoint
CREATE UNIQUE INDEX `change_versions_change_kind_uq` ON `change_versions` (`change_id`,`kind`);