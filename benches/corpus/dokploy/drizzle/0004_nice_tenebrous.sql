ALTER TABLE "application" DROP COLUMN IF EXISTS "customLogo";--> statement-breakpoint
ALTER TABLE "application" DROP COLUMN IF EXISTS "customCss";--> statement-breakpoint
ALTER TABLE "application" DROP COLUMN IF EXISTS "hideLogo";--> statement-breakpoint
ALTER TABLE "application" DROP COLUMN IF EXISTS "hideLinks";