CREATE TABLE "sighting" (
	"id" text PRIMARY KEY NOT NULL,
	"time" timestamp (3) with time zone NOT NULL,
	"device_key" text,
	"equipment" text NOT NULL,
	"svn" text,
	"imsi" text,
	"msisdn" text,
	"status" text NOT NULL,
	"matched" text NOT NULL,
	"reasons" text[] NOT NULL,
	"protocol" text NOT NULL,
	"node" text NOT NULL,
	"peer" text,
	"network" text,
	"location" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sighting_device_time" ON "sighting" USING btree ("device_key","time");--> statement-breakpoint
CREATE INDEX "sighting_time" ON "sighting" USING btree ("time");