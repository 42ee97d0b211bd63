DROP INDEX `slack_messages_channel_ts_uq`;--> statement-breakpoint
CREATE UNIQUE INDEX `slack_messages_channel_ts_change_uq` ON `slack_messages` (`channel_id`,`ts`,`change_id`);