CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`actor_sub` text NOT NULL,
	`actor_email` text,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_version` integer,
	`old_value` text,
	`new_value` text,
	`request_id` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity_at` ON `audit_log` (`entity`,`at`);