CREATE TABLE `ad_events` (
	`event_id` text PRIMARY KEY NOT NULL,
	`vast_event` text NOT NULL,
	`session_id` text NOT NULL,
	`ad_serving_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`creative_id` text NOT NULL,
	`ad_id` text,
	`track_id` text,
	`offset_ms` integer,
	`user_id` text,
	`tier` text,
	`account_country` text,
	`country` text,
	`colo` text,
	`asn` integer,
	`client_ts` integer NOT NULL,
	`received_at` integer NOT NULL,
	`flags` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ad_events_campaign_time` ON `ad_events` (`campaign_id`,`vast_event`,`client_ts`);--> statement-breakpoint
CREATE INDEX `ad_events_serving` ON `ad_events` (`ad_serving_id`);--> statement-breakpoint
CREATE INDEX `ad_events_creative_time` ON `ad_events` (`creative_id`,`client_ts`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`batch_id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`body` text NOT NULL,
	`events` integer NOT NULL,
	`failures` integer NOT NULL,
	`attempts` integer NOT NULL,
	`dead_at` integer NOT NULL,
	`dead_count` integer DEFAULT 1 NOT NULL,
	`replayed_at` integer,
	`replay_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dead_letters_replayed` ON `dead_letters` (`replayed_at`,`dead_at`);--> statement-breakpoint
CREATE TABLE `event_ledger` (
	`event_id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`session_id` text NOT NULL,
	`user_id` text,
	`batch_id` text NOT NULL,
	`request_id` text NOT NULL,
	`client_ts` integer NOT NULL,
	`received_at` integer NOT NULL,
	`stored_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `event_ledger_type` ON `event_ledger` (`type`);--> statement-breakpoint
CREATE INDEX `event_ledger_batch` ON `event_ledger` (`batch_id`);--> statement-breakpoint
CREATE TABLE `failed_events` (
	`failure_id` text PRIMARY KEY NOT NULL,
	`event_id` text,
	`type` text,
	`reason` text NOT NULL,
	`detail` text NOT NULL,
	`raw` text NOT NULL,
	`user_id` text,
	`request_id` text NOT NULL,
	`batch_id` text NOT NULL,
	`received_at` integer NOT NULL,
	`stored_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `failed_events_reason` ON `failed_events` (`reason`,`received_at`);--> statement-breakpoint
CREATE INDEX `failed_events_event` ON `failed_events` (`event_id`);--> statement-breakpoint
CREATE TABLE `landed_batches` (
	`batch_id` text PRIMARY KEY NOT NULL,
	`events` integer NOT NULL,
	`failures` integer NOT NULL,
	`inserted` integer NOT NULL,
	`duplicates` integer NOT NULL,
	`attempts` integer NOT NULL,
	`landed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `plays` (
	`event_id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`session_id` text NOT NULL,
	`track_id` text NOT NULL,
	`device_id` text,
	`ms_played` integer,
	`position_ms` integer,
	`end_reason` text,
	`from_ms` integer,
	`to_ms` integer,
	`disqualified` integer DEFAULT 0 NOT NULL,
	`user_id` text,
	`tier` text,
	`account_country` text,
	`country` text,
	`colo` text,
	`asn` integer,
	`client_ts` integer NOT NULL,
	`received_at` integer NOT NULL,
	`flags` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `plays_session` ON `plays` (`session_id`);--> statement-breakpoint
CREATE INDEX `plays_track_time` ON `plays` (`track_id`,`client_ts`);--> statement-breakpoint
CREATE INDEX `plays_user_time` ON `plays` (`user_id`,`client_ts`);--> statement-breakpoint
CREATE TABLE `qoe_samples` (
	`event_id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`track_id` text,
	`cdn` text NOT NULL,
	`rendition` text NOT NULL,
	`segment` text,
	`bytes` integer NOT NULL,
	`ttfb_ms` integer NOT NULL,
	`download_ms` integer NOT NULL,
	`http_status` integer,
	`error` text,
	`user_id` text,
	`tier` text,
	`account_country` text,
	`country` text,
	`colo` text,
	`asn` integer,
	`client_ts` integer NOT NULL,
	`received_at` integer NOT NULL,
	`flags` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `qoe_samples_cdn_country_time` ON `qoe_samples` (`cdn`,`country`,`client_ts`);--> statement-breakpoint
CREATE TABLE `qualified_streams` (
	`session_id` text PRIMARY KEY NOT NULL,
	`track_id` text NOT NULL,
	`user_id` text,
	`play_day` text NOT NULL,
	`ms_played` integer NOT NULL,
	`qualified_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `qualified_streams_track_day` ON `qualified_streams` (`track_id`,`play_day`);--> statement-breakpoint
CREATE INDEX `qualified_streams_day` ON `qualified_streams` (`play_day`);