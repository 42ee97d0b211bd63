CREATE TABLE `pipeline_deployments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`change_id` integer NOT NULL,
	`token_id` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	`status` text NOT NULL,
	`system` text,
	`environment` text,
	`commit_sha` text,
	`tag` text,
	`pipeline_url` text,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`change_id`) REFERENCES `changes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`token_id`) REFERENCES `pipeline_tokens`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pipeline_deployments_token_key_uq` ON `pipeline_deployments` (`token_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `pipeline_deployments_change_idx` ON `pipeline_deployments` (`change_id`);--> statement-breakpoint
CREATE TABLE `pipeline_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`systems` text DEFAULT '[]' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	`revoked_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pipeline_tokens_token_hash_unique` ON `pipeline_tokens` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `pipeline_tokens_active_name_uq` ON `pipeline_tokens` (`name`) WHERE "pipeline_tokens"."revoked_at" IS NULL;