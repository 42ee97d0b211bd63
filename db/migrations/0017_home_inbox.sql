CREATE TABLE `home_viewers` (
	`user_id` text PRIMARY KEY NOT NULL,
	`first_opened_at` integer NOT NULL,
	`notice` text,
	`notice_at` integer
);
--> statement-breakpoint
CREATE INDEX `approval_candidates_user_idx` ON `approval_candidates` (`user_id`);--> statement-breakpoint
CREATE INDEX `cab_meetings_open_idx` ON `cab_meetings` (`id`) WHERE "cab_meetings"."closed_at" IS NULL;--> statement-breakpoint
CREATE INDEX `changes_requester_idx` ON `changes` (`requester_id`);--> statement-breakpoint
CREATE INDEX `changes_owner_idx` ON `changes` (`owner_id`);--> statement-breakpoint
CREATE INDEX `verbal_approvals_approver_idx` ON `verbal_approvals` (`approver_id`);