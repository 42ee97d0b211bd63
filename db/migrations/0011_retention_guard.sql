CREATE TABLE `retention_guard` (
	`id` integer PRIMARY KEY NOT NULL,
	`before` integer NOT NULL
);
