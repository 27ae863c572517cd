ALTER TABLE "peer" ADD COLUMN "via" text DEFAULT 'ledger' NOT NULL;--> statement-breakpoint
ALTER TABLE "peer" ADD COLUMN "feed_key_hash" text;--> statement-breakpoint
ALTER TABLE "peer" ADD CONSTRAINT "peer_feed_key_hash_unique" UNIQUE("feed_key_hash");