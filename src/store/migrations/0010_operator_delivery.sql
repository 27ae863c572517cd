CREATE TABLE "operator_delivery" (
	"operator_id" text PRIMARY KEY NOT NULL,
	"webhook_url" text,
	"webhook_secret" text,
	"eir_url" text,
	"delivered_position" bigint DEFAULT 0 NOT NULL,
	"acknowledged_position" bigint DEFAULT 0 NOT NULL,
	"acknowledged_at" timestamp (3) with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_attempt_at" timestamp (3) with time zone,
	"next_attempt_at" timestamp (3) with time zone,
	"lease_until" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
