CREATE TABLE `ad_campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`advertiser_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`flight_start` integer NOT NULL,
	`flight_end` integer NOT NULL,
	`total_budget_minor` integer NOT NULL,
	`daily_budget_minor` integer,
	`cpm_minor` integer NOT NULL,
	`priority` text NOT NULL,
	`weight` integer NOT NULL,
	`pacing` text NOT NULL,
	`targeting` text NOT NULL,
	`frequency_caps` text NOT NULL,
	`category` text,
	`advertiser_domain` text NOT NULL,
	`creative_ids` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ad_campaigns_advertiser` ON `ad_campaigns` (`advertiser_id`);--> statement-breakpoint
CREATE TABLE `ad_creatives` (
	`id` text PRIMARY KEY NOT NULL,
	`advertiser_id` text NOT NULL,
	`name` text NOT NULL,
	`universal_ad_id` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`source_loudness_centi_lufs` integer NOT NULL,
	`loudness_centi_lufs` integer NOT NULL,
	`true_peak_centi_dbtp` integer NOT NULL,
	`media_path` text NOT NULL,
	`media` text NOT NULL,
	`source_sha256` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ad_creatives_universal_ad_id_unique` ON `ad_creatives` (`universal_ad_id`);--> statement-breakpoint
CREATE INDEX `ad_creatives_advertiser` ON `ad_creatives` (`advertiser_id`);