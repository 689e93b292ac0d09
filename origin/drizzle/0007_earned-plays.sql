CREATE TABLE `play_sessions` (
	`session_id` text PRIMARY KEY NOT NULL,
	`minted_sub` text,
	`minted_track_id` text,
	`minted_device_id` text,
	`created_at` integer,
	`expires_at` integer,
	`ended_at` integer,
	`served_playlists` integer DEFAULT 0 NOT NULL,
	`served_bytes` integer DEFAULT 0 NOT NULL,
	`served_requests` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `play_sessions_device_time` ON `play_sessions` (`minted_device_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `play_sessions_sub_track_time` ON `play_sessions` (`minted_sub`,`minted_track_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `stream_verdicts` (
	`session_id` text PRIMARY KEY NOT NULL,
	`user_id` text,
	`track_id` text NOT NULL,
	`device_id` text,
	`play_day` text NOT NULL,
	`ms_played` integer NOT NULL,
	`status` text NOT NULL,
	`reasons` text DEFAULT '' NOT NULL,
	`judged_at` integer NOT NULL,
	`reviewed_by` text,
	`reviewed_at` integer,
	`note` text
);
--> statement-breakpoint
CREATE INDEX `stream_verdicts_status_day` ON `stream_verdicts` (`status`,`play_day`);--> statement-breakpoint
CREATE INDEX `stream_verdicts_user` ON `stream_verdicts` (`user_id`,`play_day`);