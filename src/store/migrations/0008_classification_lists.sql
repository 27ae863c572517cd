CREATE TABLE "analytics_run" (
	"run_id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "analytics_run_run_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"command" text NOT NULL,
	"curr_date" date NOT NULL,
	"analysis_end" date,
	"status" text NOT NULL,
	"started_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (3) with time zone,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "classification_state" (
	"row_id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "classification_state_row_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" bigint NOT NULL,
	"imei_norm" text NOT NULL,
	"cond_name" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"block_date" date,
	"amnesty_granted" boolean DEFAULT false NOT NULL,
	"evidence" text
);
--> statement-breakpoint
CREATE TABLE "list_blacklist" (
	"imei_norm" text NOT NULL,
	"block_date" date NOT NULL,
	"reasons" text NOT NULL,
	"start_run_id" bigint NOT NULL,
	"end_run_id" bigint,
	"delta_reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "list_exception" (
	"operator" text NOT NULL,
	"imei_norm" text NOT NULL,
	"imsi" text NOT NULL,
	"msisdn" text,
	"start_run_id" bigint NOT NULL,
	"end_run_id" bigint,
	"delta_reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "list_notification" (
	"operator" text NOT NULL,
	"imei_norm" text NOT NULL,
	"imsi" text NOT NULL,
	"msisdn" text NOT NULL,
	"block_date" date,
	"reasons" text NOT NULL,
	"amnesty_granted" boolean DEFAULT false NOT NULL,
	"start_run_id" bigint NOT NULL,
	"end_run_id" bigint,
	"delta_reason" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "classification_state_open" ON "classification_state" USING btree ("imei_norm","cond_name") WHERE "classification_state"."end_date" is null;--> statement-breakpoint
CREATE INDEX "classification_state_cond" ON "classification_state" USING btree ("cond_name","end_date");--> statement-breakpoint
CREATE INDEX "list_blacklist_run" ON "list_blacklist" USING btree ("start_run_id");--> statement-breakpoint
CREATE INDEX "list_blacklist_imei" ON "list_blacklist" USING btree ("imei_norm","start_run_id");--> statement-breakpoint
CREATE INDEX "list_exception_run" ON "list_exception" USING btree ("operator","start_run_id");--> statement-breakpoint
CREATE INDEX "list_notification_run" ON "list_notification" USING btree ("operator","start_run_id");