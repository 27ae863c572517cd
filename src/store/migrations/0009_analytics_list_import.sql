CREATE TABLE "analytics_list_import" (
	"import_id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "analytics_list_import_import_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"list" text NOT NULL,
	"mode" text NOT NULL,
	"file_sha256" text NOT NULL,
	"file_name" text NOT NULL,
	"rows" bigint NOT NULL,
	"adds" bigint NOT NULL,
	"removes" bigint NOT NULL,
	"imported_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "analytics_list_import_file" ON "analytics_list_import" USING btree ("list","file_sha256");