CREATE TABLE `drm_content_keys` (
	`key_id` text PRIMARY KEY NOT NULL,
	`media_base` text NOT NULL,
	`rendition` text NOT NULL,
	`iv_base` text NOT NULL,
	`wrapped_key` text NOT NULL,
	`kek_id` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `drm_content_keys_rendition` ON `drm_content_keys` (`media_base`,`rendition`);