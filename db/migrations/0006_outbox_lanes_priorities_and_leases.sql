ALTER TABLE `outbox` ADD `coalesce_key` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `priority` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox` ADD `lane` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `lease_until` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `uncertain` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_pending_coalesce_uq` ON `outbox` (`coalesce_key`) WHERE `status` = 'pending';--> statement-breakpoint
CREATE INDEX `outbox_open_lane_idx` ON `outbox` (`lane`,`id`) WHERE `status` in ('pending', 'sending');