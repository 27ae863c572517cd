CREATE TABLE "exchange_match_key" (
	"peer_id" text PRIMARY KEY NOT NULL,
	"secret" "bytea" NOT NULL,
	"reveal_reasons" text[] DEFAULT '{}' NOT NULL,
	"organisation_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
