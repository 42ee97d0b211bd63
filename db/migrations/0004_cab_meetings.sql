CREATE TABLE `cab_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`meeting_id` integer NOT NULL,
	`change_id` integer NOT NULL,
	`phase` text NOT NULL,
	`outcome` text,
	`decided_by` text,
	`reason` text,
	`decided_at` integer,
	`ts` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `cab_meetings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`change_id`) REFERENCES `changes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cab_items_meeting_change_uq` ON `cab_items` (`meeting_id`,`change_id`);--> statement-breakpoint
CREATE INDEX `cab_items_change_idx` ON `cab_items` (`change_id`);--> statement-breakpoint
CREATE TABLE `cab_meetings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`slot` text,
	`meeting_at` integer NOT NULL,
	`late` integer DEFAULT false NOT NULL,
	`opened_by` text NOT NULL,
	`agenda` text,
	`channel_id` text NOT NULL,
	`ts` text,
	`closed_at` integer,
	`closed_by` text,
	`notes` text,
	`minutes` text,
	`minutes_ts` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cab_meetings_slot_unique` ON `cab_meetings` (`slot`);--> statement-breakpoint
CREATE TABLE `cab_votes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`voter_id` text NOT NULL,
	`vote` text NOT NULL,
	`voted_at` integer NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `cab_items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cab_votes_item_voter_uq` ON `cab_votes` (`item_id`,`voter_id`);