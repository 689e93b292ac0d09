ALTER TABLE `catalog_tracks` ADD `title_norm` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `catalog_tracks` ADD `artist_norm` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `catalog_tracks_title_norm` ON `catalog_tracks` (`title_norm`);--> statement-breakpoint
CREATE INDEX `catalog_tracks_artist_norm` ON `catalog_tracks` (`artist_norm`);