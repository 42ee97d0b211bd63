CREATE TABLE `delegations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`delegator_id` text NOT NULL,
	`delegate_id` text NOT NULL,
	`until` text NOT NULL,
	`reason` text,
	`created_at` integer NOT NULL,
	`ended_at` integer,
	`ended_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `delegations_open_delegator_uq` ON `delegations` (`delegator_id`) WHERE "delegations"."ended_at" IS NULL;--> statement-breakpoint
CREATE INDEX `delegations_open_delegate_idx` ON `delegations` (`delegate_id`) WHERE "delegations"."ended_at" IS NULL;--> statement-breakpoint
ALTER TABLE `approval_candidates` ADD `on_behalf_of` text;--> statement-breakpoint
ALTER TABLE `approval_candidates` ADD `reassigned_by` text;--> statement-breakpoint
ALTER TABLE `approval_candidates` ADD `reassign_reason` text;--> statement-breakpoint
ALTER TABLE `approval_decisions` ADD `on_behalf_of` text;