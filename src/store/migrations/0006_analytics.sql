CREATE TABLE "analytics_import" (
	"import_id" text PRIMARY KEY NOT NULL,
	"operator" text NOT NULL,
	"file_name" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"rows" bigint NOT NULL,
	"null_imei_rows" bigint NOT NULL,
	"imported_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bad_check_digit" (
	"imei_norm" text NOT NULL,
	"imei_raw" text NOT NULL,
	"operator" text NOT NULL,
	"first_seen" date NOT NULL,
	CONSTRAINT "bad_check_digit_imei_norm_imei_raw_operator_pk" PRIMARY KEY("imei_norm","imei_raw","operator")
);
--> statement-breakpoint
CREATE TABLE "monthly_triplet" (
	"imei_norm" text NOT NULL,
	"operator" text NOT NULL,
	"month" date NOT NULL,
	"triplet_hash" text NOT NULL,
	"imsi" text,
	"msisdn" text,
	"first_seen" date NOT NULL,
	"last_seen" date NOT NULL,
	"date_bitmask" integer NOT NULL,
	CONSTRAINT "monthly_triplet_imei_norm_operator_month_triplet_hash_pk" PRIMARY KEY("imei_norm","operator","month","triplet_hash")
);
--> statement-breakpoint
CREATE TABLE "network_imei" (
	"imei_norm" text PRIMARY KEY NOT NULL,
	"first_seen" date NOT NULL,
	"last_seen" date NOT NULL,
	"seen_rat_bitmask" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "timed_sighting" (
	"imei_norm" text NOT NULL,
	"seen_at" timestamp (0) NOT NULL,
	"operator" text NOT NULL,
	"imsi" text DEFAULT '' NOT NULL,
	"cell" text DEFAULT '' NOT NULL,
	"lat" double precision,
	"lon" double precision,
	CONSTRAINT "timed_sighting_imei_norm_seen_at_operator_imsi_cell_pk" PRIMARY KEY("imei_norm","seen_at","operator","imsi","cell")
);
