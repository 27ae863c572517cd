CREATE TABLE "device_reason" (
	"device_key" text NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"source" text NOT NULL,
	"since" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"seq" bigint NOT NULL,
	"reference" text,
	"list" text,
	"attributes" jsonb
);
--> statement-breakpoint
CREATE TABLE "ledger_entry" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"recorded_at" timestamp (3) with time zone NOT NULL,
	"actor" text NOT NULL,
	"source" text NOT NULL,
	"action" text NOT NULL,
	"target" jsonb NOT NULL,
	"device_key" text,
	"status" text,
	"reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	"note" text,
	"reference" text,
	"list" text,
	"attributes" jsonb,
	"expires_at" timestamp (3) with time zone,
	"idempotency_key" text,
	"leaf_hash" "bytea" NOT NULL,
	CONSTRAINT "ledger_entry_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "ledger_head" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ledger_head_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"size" bigint NOT NULL,
	"root_hash" "bytea" NOT NULL,
	"timestamp_ms" bigint NOT NULL,
	"key_id" text NOT NULL,
	"signature" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_key" (
	"key_id" text PRIMARY KEY NOT NULL,
	"public_key_pem" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_node" (
	"level" smallint NOT NULL,
	"idx" bigint NOT NULL,
	"hash" "bytea" NOT NULL,
	CONSTRAINT "ledger_node_level_idx_pk" PRIMARY KEY("level","idx")
);
--> statement-breakpoint
CREATE TABLE "ledger_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"size" bigint DEFAULT 0 NOT NULL,
	"frontier" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_time_ms" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pairing" (
	"device_key" text NOT NULL,
	"imsi" text NOT NULL,
	"msisdn" text,
	"source" text NOT NULL,
	"since" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"seq" bigint NOT NULL,
	"list" text,
	CONSTRAINT "pairing_device_key_imsi_pk" PRIMARY KEY("device_key","imsi")
);
--> statement-breakpoint
CREATE TABLE "rule" (
	"rule_key" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"target" jsonb NOT NULL,
	"status" text NOT NULL,
	"reasons" text[] NOT NULL,
	"source" text NOT NULL,
	"since" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"seq" bigint NOT NULL,
	"reference" text,
	"list" text,
	"note" text,
	"tac" text,
	"low_key" text,
	"high_key" text,
	"prefix" text,
	"golden_hash" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "device_reason_slot" ON "device_reason" USING btree ("device_key","status","reason","source",coalesce("list", ''));--> statement-breakpoint
CREATE INDEX "device_reason_list" ON "device_reason" USING btree ("list","status");--> statement-breakpoint
CREATE INDEX "ledger_entry_device_key" ON "ledger_entry" USING btree ("device_key","seq");--> statement-breakpoint
CREATE INDEX "ledger_entry_reference" ON "ledger_entry" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "ledger_head_size" ON "ledger_head" USING btree ("size");--> statement-breakpoint
CREATE INDEX "pairing_imsi" ON "pairing" USING btree ("imsi");--> statement-breakpoint
CREATE INDEX "rule_tac" ON "rule" USING btree ("tac");--> statement-breakpoint
CREATE INDEX "rule_golden" ON "rule" USING btree ("golden_hash");--> statement-breakpoint
CREATE INDEX "rule_kind" ON "rule" USING btree ("kind");