ALTER TABLE `approval_requirements` ADD `any_of` text;--> statement-breakpoint
ALTER TABLE `approval_requirements` ADD `stage` integer DEFAULT 0 NOT NULL;