CREATE TABLE "analytics_sealing" (
	"what" text PRIMARY KEY NOT NULL,
	"key_id" text NOT NULL
);
