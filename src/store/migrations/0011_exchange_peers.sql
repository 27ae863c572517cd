CREATE TABLE "peer" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"public_key_pem" text NOT NULL,
	"key_id" text NOT NULL,
	"api_key" text,
	"policy" jsonb NOT NULL,
	"state" text DEFAULT 'active' NOT NULL,
	"problem" text,
	"problem_at" timestamp (3) with time zone,
	"position" bigint DEFAULT 0 NOT NULL,
	"frontier" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"head_size" bigint,
	"head_root" "bytea",
	"head_timestamp_ms" bigint,
	"head_signature" "bytea",
	"last_contact" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "peer_origin" (
	"peer_id" text NOT NULL,
	"device_key" text NOT NULL,
	"origin_status" text NOT NULL,
	"origin_reason" text NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"origin_seq" bigint NOT NULL,
	CONSTRAINT "peer_origin_peer_id_device_key_origin_status_origin_reason_pk" PRIMARY KEY("peer_id","device_key","origin_status","origin_reason")
);
