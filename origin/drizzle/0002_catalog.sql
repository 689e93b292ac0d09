CREATE TABLE `catalog_artists` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`isni` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `catalog_deals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`release_id` text NOT NULL,
	`track_id` text,
	`territories` text NOT NULL,
	`excluded` text NOT NULL,
	`start_at` integer,
	`end_at` integer,
	`commercial_models` text NOT NULL,
	`use_types` text NOT NULL,
	FOREIGN KEY (`release_id`) REFERENCES `catalog_releases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`track_id`) REFERENCES `catalog_tracks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `catalog_deals_release` ON `catalog_deals` (`release_id`);--> statement-breakpoint
CREATE TABLE `catalog_ingests` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`sender` text NOT NULL,
	`kind` text NOT NULL,
	`message_created_at` integer NOT NULL,
	`release_keys` text NOT NULL,
	`track_ids` text NOT NULL,
	`received_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `catalog_ingests_message` ON `catalog_ingests` (`sender`,`message_id`);--> statement-breakpoint
CREATE TABLE `catalog_labels` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `catalog_release_tracks` (
	`release_id` text NOT NULL,
	`track_id` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`release_id`, `track_id`),
	FOREIGN KEY (`release_id`) REFERENCES `catalog_releases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`track_id`) REFERENCES `catalog_tracks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `catalog_release_tracks_track` ON `catalog_release_tracks` (`track_id`);--> statement-breakpoint
CREATE TABLE `catalog_releases` (
	`id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`icpn` text,
	`grid` text,
	`title` text NOT NULL,
	`display_artist` text NOT NULL,
	`release_type` text,
	`label_id` text,
	`genres` text NOT NULL,
	`release_date` text,
	`message_id` text NOT NULL,
	`message_sender` text NOT NULL,
	`message_created_at` integer NOT NULL,
	`takedown_at` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`label_id`) REFERENCES `catalog_labels`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `catalog_releases_key` ON `catalog_releases` (`key`);--> statement-breakpoint
CREATE TABLE `catalog_rights_controllers` (
	`track_id` text NOT NULL,
	`party_name` text NOT NULL,
	`party_id` text,
	`roles` text NOT NULL,
	`share_basis_points` integer,
	FOREIGN KEY (`track_id`) REFERENCES `catalog_tracks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `catalog_rights_controllers_track` ON `catalog_rights_controllers` (`track_id`);--> statement-breakpoint
CREATE TABLE `catalog_search_deletes` (
	`variant` text NOT NULL,
	`term` text NOT NULL,
	PRIMARY KEY(`variant`, `term`)
);
--> statement-breakpoint
CREATE TABLE `catalog_search_terms` (
	`term` text PRIMARY KEY NOT NULL,
	`docs` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `catalog_track_parties` (
	`track_id` text NOT NULL,
	`artist_id` text NOT NULL,
	`role` text NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`track_id`) REFERENCES `catalog_tracks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`artist_id`) REFERENCES `catalog_artists`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `catalog_track_parties_track` ON `catalog_track_parties` (`track_id`);--> statement-breakpoint
CREATE INDEX `catalog_track_parties_artist` ON `catalog_track_parties` (`artist_id`);--> statement-breakpoint
CREATE TABLE `catalog_tracks` (
	`id` text PRIMARY KEY NOT NULL,
	`docid` integer NOT NULL,
	`isrc` text NOT NULL,
	`title` text NOT NULL,
	`display_artist` text NOT NULL,
	`artist_id` text,
	`release_id` text NOT NULL,
	`iswcs` text NOT NULL,
	`parental_warning` text,
	`duration_ms` integer NOT NULL,
	`duration_samples` integer NOT NULL,
	`sample_rate` integer NOT NULL,
	`loudness_lufs` real NOT NULL,
	`true_peak_dbtp` real NOT NULL,
	`source_sha256` text NOT NULL,
	`media_base` text NOT NULL,
	`popularity` integer DEFAULT 0 NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`published_version` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`artist_id`) REFERENCES `catalog_artists`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`release_id`) REFERENCES `catalog_releases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `catalog_tracks_isrc` ON `catalog_tracks` (`isrc`);--> statement-breakpoint
CREATE UNIQUE INDEX `catalog_tracks_docid` ON `catalog_tracks` (`docid`);--> statement-breakpoint
CREATE INDEX `catalog_tracks_release` ON `catalog_tracks` (`release_id`);--> statement-breakpoint
CREATE INDEX `catalog_tracks_unpublished` ON `catalog_tracks` (`published_version`);