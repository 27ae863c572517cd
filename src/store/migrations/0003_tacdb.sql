CREATE TABLE "tac_history" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tac_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tac" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"import_id" text NOT NULL,
	"change" text NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "tac_model" (
	"tac" text PRIMARY KEY NOT NULL,
	"brand" text,
	"model" text,
	"marketing_name" text,
	"manufacturer" text,
	"device_type" text,
	"bands" text,
	"allocation_date" text,
	"radio" text[] DEFAULT '{}'::text[] NOT NULL,
	"operating_system" text,
	"source" text NOT NULL,
	"attributes" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"import_id" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "tac_history_tac" ON "tac_history" USING btree ("tac","id");--> statement-breakpoint
CREATE INDEX "tac_model_brand_model" ON "tac_model" USING btree ("brand","model");