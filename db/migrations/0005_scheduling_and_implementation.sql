CREATE TABLE `change_freezes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`reason` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`removed_at` integer,
	`removed_by` text,
	`submission_key` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `change_freezes_submission_key_unique` ON `change_freezes` (`submission_key`);--> statement-breakpoint
CREATE TABLE `post_implementation_reviews` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`change_id` integer NOT NULL,
	`outcome` text NOT NULL,
	`actual_vs_expected` text NOT NULL,
	`incidents` text NOT NULL,
	`lessons_learned` text NOT NULL,
	`root_cause` text,
	`preventive_measures` text,
	`reviewed_by` text NOT NULL,
	`reviewed_at` integer NOT NULL,
	FOREIGN KEY (`change_id`) REFERENCES `changes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `post_implementation_reviews_change_id_unique` ON `post_implementation_reviews` (`change_id`);--> statement-breakpoint
CREATE TABLE `rollbacks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`change_id` integer NOT NULL,
	`decided_at` integer NOT NULL,
	`reason` text NOT NULL,
	`steps` text NOT NULL,
	`impact` text NOT NULL,
	`duration_minutes` integer NOT NULL,
	`recorded_by` text NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`change_id`) REFERENCES `changes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rollbacks_change_id_unique` ON `rollbacks` (`change_id`);--> statement-breakpoint
CREATE TABLE `verifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`change_id` integer NOT NULL,
	`checks` text NOT NULL,
	`note` text,
	`verified_by` text NOT NULL,
	`verified_at` integer NOT NULL,
	FOREIGN KEY (`change_id`) REFERENCES `changes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `verifications_change_id_unique` ON `verifications` (`change_id`);--> statement-breakpoint
ALTER TABLE `changes` ADD `schedule_exception` text;--> statement-breakpoint
ALTER TABLE `changes` ADD `failure_reason` text;