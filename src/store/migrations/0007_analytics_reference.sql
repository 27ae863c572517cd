CREATE TABLE "analytics_association" (
	"uid" text NOT NULL,
	"imei_norm" text NOT NULL,
	CONSTRAINT "analytics_association_imei_norm_uid_pk" PRIMARY KEY("imei_norm","uid")
);
--> statement-breakpoint
CREATE TABLE "analytics_subscriber" (
	"uid" text NOT NULL,
	"imsi" text NOT NULL,
	CONSTRAINT "analytics_subscriber_uid_imsi_pk" PRIMARY KEY("uid","imsi")
);
--> statement-breakpoint
CREATE TABLE "ref_association" (
	"uid" text NOT NULL,
	"imei_norm" text NOT NULL,
	CONSTRAINT "ref_association_imei_norm_uid_pk" PRIMARY KEY("imei_norm","uid")
);
--> statement-breakpoint
CREATE TABLE "ref_barred" (
	"imei_norm" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ref_barred_tac" (
	"tac" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ref_golden" (
	"hashed_imei_norm" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ref_gsma" (
	"tac" text PRIMARY KEY NOT NULL,
	"manufacturer" text,
	"model_name" text,
	"device_type" text,
	"rat_mask" integer
);
--> statement-breakpoint
CREATE TABLE "ref_monitoring" (
	"imei_norm" text PRIMARY KEY NOT NULL,
	"start_date" timestamp (0) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ref_pairing" (
	"imei_norm" text NOT NULL,
	"imsi" text NOT NULL,
	"msisdn" text,
	CONSTRAINT "ref_pairing_imei_norm_imsi_pk" PRIMARY KEY("imei_norm","imsi")
);
--> statement-breakpoint
CREATE TABLE "ref_registration" (
	"imei_norm" text PRIMARY KEY NOT NULL,
	"status" text,
	"device_type" text
);
--> statement-breakpoint
CREATE TABLE "ref_stolen" (
	"imei_norm" text PRIMARY KEY NOT NULL,
	"status" text
);
--> statement-breakpoint
CREATE TABLE "ref_subscribers" (
	"uid" text NOT NULL,
	"imsi" text NOT NULL,
	CONSTRAINT "ref_subscribers_uid_imsi_pk" PRIMARY KEY("uid","imsi")
);
