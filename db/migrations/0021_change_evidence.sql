CREATE TABLE `change_evidence` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`change_id` integer NOT NULL,
	`scope` text NOT NULL,
	`item` text NOT NULL,
	`label` text NOT NULL,
	`evidence` text NOT NULL,
	`recorded_by` text NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`change_id`) REFERENCES `changes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `change_evidence_change_idx` ON `change_evidence` (`change_id`);