CREATE TABLE "access_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "access_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"role" text NOT NULL,
	"organisation" text,
	"subject_kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"fields" text[] NOT NULL,
	"why" text NOT NULL,
	"route" text
);
--> statement-breakpoint
CREATE TABLE "api_key" (
	"id" text PRIMARY KEY NOT NULL,
	"secret_hash" text NOT NULL,
	"organisation_id" text NOT NULL,
	"role" text NOT NULL,
	"label" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp (3) with time zone,
	"last_used_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "organisation" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"regions" text[] DEFAULT '{}'::text[] NOT NULL,
	"operator_id" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_session" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"last_seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_user" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"organisation_id" text,
	"password_hash" text NOT NULL,
	"totp_secret" text,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp (3) with time zone,
	CONSTRAINT "staff_user_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "alert" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"device_key" text NOT NULL,
	"police_unit" text,
	"state" text DEFAULT 'new' NOT NULL,
	"sim_key" text NOT NULL,
	"imsi" text,
	"msisdn" text,
	"network" text,
	"location" text,
	"protocol" text,
	"first_seen_at" timestamp (3) with time zone NOT NULL,
	"last_seen_at" timestamp (3) with time zone NOT NULL,
	"sightings" integer DEFAULT 1 NOT NULL,
	"last_sighting_id" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"handled_by" text,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "appeal" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"device_key" text NOT NULL,
	"imei" text NOT NULL,
	"case_id" uuid,
	"ground" text NOT NULL,
	"statement" text NOT NULL,
	"appellant_name" text,
	"appellant_phone" text,
	"appellant_email" text,
	"language" text DEFAULT 'en' NOT NULL,
	"channel" text NOT NULL,
	"state" text NOT NULL,
	"deadline" timestamp (3) with time zone NOT NULL,
	"suspended" boolean DEFAULT false NOT NULL,
	"decided_by" text,
	"decided_at" timestamp (3) with time zone,
	"decision_note" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appeal_reference_unique" UNIQUE("reference")
);
--> statement-breakpoint
CREATE TABLE "appeal_reason" (
	"appeal_id" uuid NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"source" text NOT NULL,
	"outcome" text,
	CONSTRAINT "appeal_reason_appeal_id_status_reason_source_pk" PRIMARY KEY("appeal_id","status","reason","source")
);
--> statement-breakpoint
CREATE TABLE "case_device" (
	"case_id" uuid NOT NULL,
	"device_key" text NOT NULL,
	"imei" text NOT NULL,
	"open" boolean DEFAULT true NOT NULL,
	CONSTRAINT "case_device_case_id_device_key_pk" PRIMARY KEY("case_id","device_key")
);
--> statement-breakpoint
CREATE TABLE "case_event" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "case_event_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" uuid NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"note" text,
	"ledger_seqs" bigint[] DEFAULT '{}'::bigint[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_report" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"mode" text NOT NULL,
	"brand" text,
	"model" text,
	"last_msisdn" text,
	"incident_at" timestamp (3) with time zone,
	"incident_place" text,
	"region" text,
	"police_report_number" text,
	"police_unit" text,
	"reporter_name" text,
	"reporter_phone" text,
	"reporter_email" text,
	"language" text DEFAULT 'en' NOT NULL,
	"notify_owner" boolean DEFAULT false NOT NULL,
	"channel" text NOT NULL,
	"source" text NOT NULL,
	"entered_by" text NOT NULL,
	"organisation" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_report_reference_unique" UNIQUE("reference")
);
--> statement-breakpoint
CREATE TABLE "cases_cursor" (
	"name" text PRIMARY KEY NOT NULL,
	"position" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" text DEFAULT 'sms' NOT NULL,
	"to" text NOT NULL,
	"text" text NOT NULL,
	"kind" text NOT NULL,
	"case_id" uuid,
	"state" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"provider_id" text,
	"last_error" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "verification_code" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"code_hash" text NOT NULL,
	"phone" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sighting" ADD COLUMN "seq" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "sighting_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_session" ADD CONSTRAINT "staff_session_user_id_staff_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_user" ADD CONSTRAINT "staff_user_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert" ADD CONSTRAINT "alert_case_id_case_report_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."case_report"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal" ADD CONSTRAINT "appeal_case_id_case_report_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."case_report"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_reason" ADD CONSTRAINT "appeal_reason_appeal_id_appeal_id_fk" FOREIGN KEY ("appeal_id") REFERENCES "public"."appeal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_device" ADD CONSTRAINT "case_device_case_id_case_report_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."case_report"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_event" ADD CONSTRAINT "case_event_case_id_case_report_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."case_report"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verification_code" ADD CONSTRAINT "verification_code_case_id_case_report_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."case_report"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_log_at" ON "access_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "access_log_subject" ON "access_log" USING btree ("subject_kind","subject_id");--> statement-breakpoint
CREATE INDEX "staff_session_user" ON "staff_session" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "alert_open_sim" ON "alert" USING btree ("case_id","sim_key") WHERE "alert"."state" <> 'closed';--> statement-breakpoint
CREATE INDEX "alert_unit_state" ON "alert" USING btree ("police_unit","state","last_seen_at");--> statement-breakpoint
CREATE INDEX "appeal_state_deadline" ON "appeal" USING btree ("state","deadline");--> statement-breakpoint
CREATE INDEX "appeal_device" ON "appeal" USING btree ("device_key");--> statement-breakpoint
CREATE UNIQUE INDEX "case_device_open" ON "case_device" USING btree ("device_key") WHERE "case_device"."open";--> statement-breakpoint
CREATE INDEX "case_device_key" ON "case_device" USING btree ("device_key");--> statement-breakpoint
CREATE INDEX "case_event_case" ON "case_event" USING btree ("case_id","id");--> statement-breakpoint
CREATE INDEX "case_report_state" ON "case_report" USING btree ("state","updated_at");--> statement-breakpoint
CREATE INDEX "case_report_unit" ON "case_report" USING btree ("police_unit");--> statement-breakpoint
CREATE INDEX "outbox_due" ON "outbox" USING btree ("state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "sighting_seq" ON "sighting" USING btree ("seq");
--> statement-breakpoint
-- The access log is evidence for auditors: a row, once written, is never changed or removed.
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
